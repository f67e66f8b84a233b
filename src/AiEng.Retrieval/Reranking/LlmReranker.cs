using System.Diagnostics;
using System.Globalization;
using System.Text;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// Reranks candidates by asking a chat model (any <see cref="IChatClient"/>) to rate each one's relevance to the query
/// from 0 to 10, as a JSON array of <c>{"index": i, "score": s}</c>.
/// </summary>
/// <remarks>
/// <para>
/// Only the first <see cref="LlmRerankerOptions.MaxCandidates"/> candidates are judged, <see cref="LlmRerankerOptions.BatchSize"/>
/// per call. The result lists the scored candidates by score (the judge's 0..10, equal scores in retriever order), then the
/// candidates the judge left unscored and those beyond the limit, in retriever order with the score
/// <see cref="UnscoredScore"/>.
/// </para>
/// <para>
/// Judge output is untrusted: code fences and prose around the JSON, missing, duplicate (the first counts) or
/// out-of-range indexes, scores written as strings and non-numeric scores are all tolerated, and output that cannot be
/// read at all leaves that batch unscored. Reranking never fails because of what the model wrote; failures of the chat
/// call itself (network, quota) propagate, so add resilience to the client for those.
/// </para>
/// </remarks>
public sealed class LlmReranker : IReranker
{
    /// <summary>The score given to candidates the judge did not score: -1, below every judge score.</summary>
    public const double UnscoredScore = -1;

    private const string Instructions =
        "You judge how relevant passages are to a search query. Rate every passage from 0 (unrelated) to 10 (answers the query fully). " +
        "Reply with only a JSON array with one object per passage, for example [{\"index\": 0, \"score\": 7}, {\"index\": 1, \"score\": 2}], " +
        "and nothing else.";

    private readonly IChatClient _chatClient;
    private readonly LlmRerankerOptions _options;

    /// <summary>Initializes a new instance of the <see cref="LlmReranker"/> class.</summary>
    /// <param name="chatClient">The judge model.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public LlmReranker(IChatClient chatClient, LlmRerankerOptions? options = null)
    {
        _chatClient = Throw.IfNull(chatClient);
        _options = (options ?? new LlmRerankerOptions()).Validate();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        (string query, IReadOnlyList<RetrievedChunk> candidates, int top) = (request.Query, request.Candidates, request.Top);
        int judged = Math.Min(candidates.Count, _options.MaxCandidates);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalRerank);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.RerankMethod, "llm");
            activity.SetTag(AiEngTelemetry.RequestModel, _options.ChatOptions?.ModelId ?? _chatClient.GetService<ChatClientMetadata>()?.DefaultModelId);
            activity.SetTag(AiEngTelemetry.RerankCandidates, candidates.Count);
            activity.SetTag(AiEngTelemetry.RerankJudged, judged);
            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
        }

        try
        {
            var scores = new double?[candidates.Count];
            for (int start = 0; start < judged; start += _options.BatchSize)
            {
                int size = Math.Min(_options.BatchSize, judged - start);
                var messages = new List<ChatMessage>
                {
                    new(ChatRole.System, Instructions),
                    new(ChatRole.User, BuildPrompt(query, candidates, start, size)),
                };
                var response = await _chatClient.GetResponseAsync(messages, _options.ChatOptions!.Clone(), cancellationToken).ConfigureAwait(false);
                foreach (var (index, score) in RelevanceJudgmentParser.Parse(response.Text, size))
                {
                    scores[start + index] = score;
                }
            }

            var order = Enumerable.Range(0, candidates.Count)
                .OrderBy(i => scores[i] is null ? 1 : 0)
                .ThenByDescending(i => scores[i] ?? 0)
                .ThenBy(i => i);
            RetrievedChunk[] reranked = order.Take(top).Select(i => new RetrievedChunk(candidates[i].Chunk, scores[i] ?? UnscoredScore)).ToArray();
            if (activity is not null)
            {
                activity.SetTag(AiEngTelemetry.RerankUnscored, scores.Count(static score => score is null));
                activity.SetTag(AiEngTelemetry.RetrievalResults, reranked.Length);
            }

            return reranked;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }

    private string BuildPrompt(string query, IReadOnlyList<RetrievedChunk> candidates, int start, int size)
    {
        var prompt = new StringBuilder("Query: ").Append(query).Append("\n\nPassages:\n");
        for (int i = 0; i < size; i++)
        {
            string text = candidates[start + i].Chunk.Text;
            if (text.Length > _options.MaxPassageCharacters)
            {
                text = text[.._options.MaxPassageCharacters] + " …";
            }

            prompt.Append(CultureInfo.InvariantCulture, $"\n[{i}] ").Append(text.ReplaceLineEndings(" ")).Append('\n');
        }

        return prompt.Append("\nRate all ").Append(size.ToString(CultureInfo.InvariantCulture)).Append(" passages (indexes 0 to ")
            .Append((size - 1).ToString(CultureInfo.InvariantCulture)).Append(") as a JSON array.").ToString();
    }
}
