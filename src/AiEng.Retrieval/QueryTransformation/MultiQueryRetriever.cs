using System.Diagnostics;
using System.Globalization;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// Multi-query retrieval: asks a chat model for several rephrasings of the query, retrieves for each of them and for the
/// original with an inner <see cref="IRetriever"/>, and fuses the lists by reciprocal-rank fusion.
/// </summary>
/// <remarks>
/// Rephrasings catch documents that use other words than the user. The model's reply is read tolerantly (one query per
/// line, bullets and numbering removed, or a JSON array of strings); when it is empty or unreadable only the original
/// query is searched, so the result is never worse than the inner retriever's for lack of rephrasings.
/// Failures of the chat call itself propagate. Each list is retrieved as deep as the number of chunks asked for.
/// </remarks>
public sealed class MultiQueryRetriever : IRetriever
{
    private readonly IChatClient _chatClient;
    private readonly IRetriever _retriever;
    private readonly MultiQueryRetrieverOptions _options;

    /// <summary>Initializes a new instance of the <see cref="MultiQueryRetriever"/> class.</summary>
    /// <param name="chatClient">Writes the rephrasings.</param>
    /// <param name="retriever">Retrieves for each query.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> or <paramref name="retriever"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public MultiQueryRetriever(IChatClient chatClient, IRetriever retriever, MultiQueryRetrieverOptions? options = null)
    {
        _chatClient = Throw.IfNull(chatClient);
        _retriever = Throw.IfNull(retriever);
        _options = (options ?? new MultiQueryRetrieverOptions()).Validate();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, int top) = (request.Query, request.Top);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalQueryTransformation);
        activity?.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
        activity?.SetTag(AiEngTelemetry.QueryTransformationMethod, "multi_query");
        activity?.SetTag(AiEngTelemetry.RetrievalTopK, top);
        try
        {
            var queries = new List<string> { query };
            if (!string.IsNullOrWhiteSpace(query))
            {
                queries.AddRange(await RephraseAsync(query, cancellationToken).ConfigureAwait(false));
            }

            activity?.SetTag(AiEngTelemetry.QueryTransformationQueries, queries.Count - 1);
            IReadOnlyList<RetrievedChunk> chunks;
            if (queries.Count == 1)
            {
                chunks = await _retriever.RetrieveAsync(request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var lists = await ChunkFusion.RetrieveAllAsync(_retriever, request, queries, cancellationToken).ConfigureAwait(false);
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

    private async Task<IReadOnlyList<string>> RephraseAsync(string query, CancellationToken cancellationToken)
    {
        string count = _options.QueryCount.ToString(CultureInfo.InvariantCulture);
        string instructions =
            $"You help a search engine. Write {count} different rephrasings of the user's search query that use other words " +
            "(synonyms, related terms, a more specific or a more general wording) but keep its meaning. Reply with one rephrasing per line and nothing else.";
        string reply = await QueryRewriter.AskAsync(_chatClient, instructions, query, _options.ChatOptions, cancellationToken).ConfigureAwait(false);
        return GeneratedQueries.Parse(reply, query, _options.QueryCount);
    }
}
