using AiEng.Retrieval;

namespace AiEng.Samples.Rag;

/// <summary>
/// Passes retrieval through to the registered <see cref="IRetriever"/> and keeps the last result, so the sample can show
/// what the model was given. Registered by <see cref="RagServices.AddRagSample"/>.
/// </summary>
internal sealed class RecordingRetriever(IRetriever inner) : IRetriever
{
    /// <summary>Gets the chunks of the last retrieval.</summary>
    public IReadOnlyList<RetrievedChunk> LastResults { get; private set; } = [];

    /// <inheritdoc />
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<RetrievedChunk> results = await inner.RetrieveAsync(request, cancellationToken);
        LastResults = results;
        return results;
    }
}
