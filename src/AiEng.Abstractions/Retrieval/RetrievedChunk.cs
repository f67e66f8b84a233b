using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A chunk found by a retriever, with its relevance score.</summary>
public sealed class RetrievedChunk
{
    /// <summary>Initializes a new instance of the <see cref="RetrievedChunk"/> class.</summary>
    /// <param name="chunk">The stored chunk.</param>
    /// <param name="score">The relevance score; higher is more relevant. Scales differ between retrievers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chunk"/> is <see langword="null"/>.</exception>
    public RetrievedChunk(ChunkRecord chunk, double score)
    {
        Chunk = Throw.IfNull(chunk);
        Score = score;
    }

    /// <summary>Gets the stored chunk.</summary>
    public ChunkRecord Chunk { get; }

    /// <summary>Gets the relevance score; higher is more relevant. Scales differ between retrievers.</summary>
    public double Score { get; }
}
