using System.Diagnostics;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// Hypothetical document embeddings (HyDE, Gao et al. 2022): asks a chat model to write a passage that would answer the
/// query and searches with that passage instead of the short query, optionally fused with a search for the query itself.
/// </summary>
/// <remarks>
/// The inner retriever should be a dense one (<see cref="VectorStoreRetriever"/>), which embeds whatever text it is given:
/// an answer-shaped passage usually lies nearer to the answering chunks than the question does. When the model's reply is
/// empty or only white space, the original query is searched alone. The passage may contain invented facts; it is only
/// used to search, never shown. Failures of the chat call itself propagate.
/// </remarks>
public sealed class HydeRetriever : IRetriever
{
    private const string Instructions =
        "Write a short passage, as it could appear in a reference document, that answers the user's question. " +
        "Write only the passage: no introduction, no caveats, no questions back.";

    private readonly IChatClient _chatClient;
    private readonly IRetriever _retriever;
    private readonly HydeRetrieverOptions _options;

    /// <summary>Initializes a new instance of the <see cref="HydeRetriever"/> class.</summary>
    /// <param name="chatClient">Writes the hypothetical passage.</param>
    /// <param name="retriever">Searches with the passage (and the query); usually a <see cref="VectorStoreRetriever"/>.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="retriever"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public HydeRetriever(IChatClient chatClient, IRetriever retriever, HydeRetrieverOptions? options = null)
    {
        _chatClient = Throw.IfNull(chatClient);
        _retriever = Throw.IfNull(retriever);
        _options = (options ?? new HydeRetrieverOptions()).Validate();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, int top) = (request.Query, request.Top);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalQueryTransformation);
        activity?.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
        activity?.SetTag(AiEngTelemetry.QueryTransformationMethod, "hyde");
        activity?.SetTag(AiEngTelemetry.RetrievalTopK, top);
        try
        {
            string passage = string.Empty;
            if (!string.IsNullOrWhiteSpace(query))
            {
                passage = StripFences(await QueryRewriter.AskAsync(_chatClient, Instructions, query, _options.ChatOptions, cancellationToken).ConfigureAwait(false));
            }

            activity?.SetTag(AiEngTelemetry.QueryTransformationQueries, passage.Length == 0 ? 0 : 1);
            IReadOnlyList<RetrievedChunk> chunks;
            if (passage.Length == 0)
            {
                chunks = await _retriever.RetrieveAsync(request, cancellationToken).ConfigureAwait(false);
            }
            else if (!_options.IncludeOriginalQuery)
            {
                chunks = await _retriever.RetrieveAsync(request.ForQuery(passage), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var lists = await ChunkFusion.RetrieveAllAsync(_retriever, request, [passage, query], cancellationToken).ConfigureAwait(false);
                chunks = ChunkFusion.Fuse(lists, FusionMethod.ReciprocalRank, _options.RrfK, weights: null, top);
            }

            activity?.SetTag(AiEngTelemetry.RetrievalResults, chunks.Count);
            return chunks;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }

    private static string StripFences(string text)
    {
        var lines = text.Split('\n').Where(static line => !line.TrimStart().StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines).Trim();
    }
}
