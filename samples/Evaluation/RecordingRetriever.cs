using AiEng.Retrieval;

namespace AiEng.Samples.Evaluation;

/// <summary>
/// Passes retrieval through and keeps what was retrieved for the evaluation case running on the current async flow, so
/// the retrieval metrics see the ranked chunks that <c>UseRetrieval</c> gave the model (cases run concurrently).
/// </summary>
public sealed class RecordingRetriever(IRetriever inner) : IRetriever
{
    private static readonly AsyncLocal<List<RetrievedChunk>?> Current = new();

    /// <summary>Starts recording for the calling flow; the returned list fills as the flow retrieves.</summary>
    public static List<RetrievedChunk> BeginRecording()
    {
        var recorded = new List<RetrievedChunk>();
        Current.Value = recorded;
        return recorded;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        var chunks = await inner.RetrieveAsync(request, cancellationToken);
        Current.Value?.AddRange(chunks);
        return chunks;
    }
}
