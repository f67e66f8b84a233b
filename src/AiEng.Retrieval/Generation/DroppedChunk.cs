using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>A retrieved chunk <see cref="ContextPacker"/> left out of the context, and why.</summary>
public sealed class DroppedChunk
{
    /// <summary>Initializes a new instance of the <see cref="DroppedChunk"/> class.</summary>
    /// <param name="chunk">The chunk that was left out.</param>
    /// <param name="reason">Why it was left out.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chunk"/> is <see langword="null"/>.</exception>
    public DroppedChunk(RetrievedChunk chunk, ContextDropReason reason)
    {
        Chunk = Throw.IfNull(chunk);
        Reason = reason;
    }

    /// <summary>Gets the chunk that was left out.</summary>
    public RetrievedChunk Chunk { get; }

    /// <summary>Gets why the chunk was left out.</summary>
    public ContextDropReason Reason { get; }
}
