using System.Diagnostics;
using System.Text;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiEng.Retrieval;

/// <summary>
/// Forms the retrieval query of a grounded call from its conversation (<see cref="ConversationQueryOptions"/>): the last user
/// message, or a follow-up condensed by a chat model (through <see cref="QueryRewriter"/>, like the other query
/// transformations) or by <see cref="FollowUpHeuristic"/>.
/// </summary>
internal sealed class ConversationQueryBuilder
{
    private readonly ConversationQueryOptions _options;
    private readonly IChatClient _wrapped;
    private readonly IChatClient _rewriter;
    private readonly bool _offline;
    private readonly ITokenCounter _tokenCounter;
    private readonly bool _sensitive;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ConversationQueryBuilder"/> class.</summary>
    /// <param name="options">The validated options; <see cref="ConversationQueryOptions.ChatModel"/> already resolved into <see cref="ConversationQueryOptions.ChatClient"/>.</param>
    /// <param name="wrapped">The client the middleware wraps: the rewriter when the options name none.</param>
    /// <param name="tokenCounter">Counts the history budget.</param>
    /// <param name="sensitive">Whether the query text may go to telemetry.</param>
    /// <param name="logger">The middleware's logger.</param>
    public ConversationQueryBuilder(ConversationQueryOptions options, IChatClient wrapped, ITokenCounter tokenCounter, bool sensitive, ILogger logger)
    {
        _options = options;
        _wrapped = wrapped;
        _rewriter = options.ChatClient ?? wrapped;
        _offline = string.Equals(_rewriter.GetService<ChatClientMetadata>()?.ProviderName, ExtractiveResponder.ProviderName, StringComparison.Ordinal);
        _tokenCounter = tokenCounter;
        _sensitive = sensitive;
        _logger = logger;
    }

    /// <summary>Forms the query for the user message at <paramref name="questionIndex"/> and records it on <paramref name="activity"/> and in the log.</summary>
    public async Task<RetrievalQuery> FormAsync(List<ChatMessage> messages, int questionIndex, ChatOptions? callOptions, Activity? activity, CancellationToken cancellationToken)
    {
        string question = messages[questionIndex].Text;
        List<ChatMessage> history = _options.Mode == ConversationQueryMode.LastMessage ? [] : History(messages, questionIndex);
        RetrievalQuery query;
        if (!history.Any(static message => message.Role == ChatRole.User))
        {
            // The first turn (or LastMessage): nothing to resolve a reference against, so no call.
            query = new RetrievalQuery { Text = question, Question = question, Method = RetrievalQueryMethod.LastMessage };
        }
        else if (_options.Mode == ConversationQueryMode.Heuristic || _offline)
        {
            var earlier = history.Where(static message => message.Role == ChatRole.User).Select(static message => message.Text).Reverse();
            query = new RetrievalQuery { Text = FollowUpHeuristic.Rewrite(question, earlier), Question = question, Method = RetrievalQueryMethod.Heuristic };
        }
        else
        {
            string? condensed = await CondenseAsync(history, question, callOptions, cancellationToken).ConfigureAwait(false);
            query = new RetrievalQuery { Text = condensed ?? question, Question = question, Method = condensed is null ? RetrievalQueryMethod.Fallback : RetrievalQueryMethod.Model };
        }

        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.RetrievalQueryMethod, MethodName(query.Method));
            activity.SetTag(AiEngTelemetry.RetrievalQueryRewritten, query.IsRewritten);
            activity.SetTag(AiEngTelemetry.RetrievalQueryHistory, history.Count);
            if (_sensitive)
            {
                activity.SetTag(AiEngTelemetry.RetrievalQuery, query.Text);
            }
        }

        ConversationQueryLog.Formed(_logger, query.Method, history.Count, query.IsRewritten);
        if (_sensitive)
        {
            ConversationQueryLog.Text(_logger, query.Text);
        }

        return query;
    }

    /// <summary>The span value of <paramref name="method"/>: <c>last_message</c>, <c>model</c>, <c>heuristic</c> or <c>fallback</c>.</summary>
    private static string MethodName(RetrievalQueryMethod method) => method switch
    {
        RetrievalQueryMethod.Model => "model",
        RetrievalQueryMethod.Heuristic => "heuristic",
        RetrievalQueryMethod.Fallback => "fallback",
        _ => "last_message",
    };

    /// <summary>The latest user and assistant messages with text before the question, at most <see cref="ConversationQueryOptions.MaxHistoryMessages"/>, in order.</summary>
    private List<ChatMessage> History(List<ChatMessage> messages, int questionIndex) =>
        messages.Take(questionIndex)
            .Where(static message => (message.Role == ChatRole.User || message.Role == ChatRole.Assistant) && !string.IsNullOrWhiteSpace(message.Text))
            .TakeLast(_options.MaxHistoryMessages)
            .ToList();

    /// <summary>Asks the rewriter for a standalone query; <see langword="null"/> (logged) when the call fails or returns nothing. Cancellation propagates.</summary>
    private async Task<string?> CondenseAsync(List<ChatMessage> history, string question, ChatOptions? callOptions, CancellationToken cancellationToken)
    {
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalQueryTransformation);
        activity?.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
        activity?.SetTag(AiEngTelemetry.QueryTransformationMethod, "condense");
        string reply;
        try
        {
            reply = await QueryRewriter.AskAsync(_rewriter, _options.Instructions, Prompt(history, question), RewriteOptions(callOptions), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            AiEngTelemetry.Fail(activity, ex);
            ConversationQueryLog.RewriteFailed(_logger, ex);
            return null;
        }

        string? query = GeneratedQueries.Parse(reply, string.Empty, 1).FirstOrDefault();
        activity?.SetTag(AiEngTelemetry.QueryTransformationQueries, query is null ? 0 : 1);
        if (query is null)
        {
            ConversationQueryLog.RewriteEmpty(_logger);
        }

        return query;
    }

    /// <summary>
    /// The options of the rewriting call: the configured ones (cloned), temperature 0 unless they set one, the call's model
    /// id when the wrapped client rewrites, and the call's caller tag so that usage tracking attributes the call with it.
    /// </summary>
    private ChatOptions RewriteOptions(ChatOptions? callOptions)
    {
        ChatOptions options = _options.ChatOptions?.Clone() ?? new ChatOptions();
        options.Temperature ??= 0f;
        if (ReferenceEquals(_rewriter, _wrapped))
        {
            options.ModelId ??= callOptions?.ModelId;
        }

        if (callOptions?.AdditionalProperties?.TryGetValue(UsageScope.CallerTagKey, out object? tag) == true
            && tag is string && options.AdditionalProperties?.ContainsKey(UsageScope.CallerTagKey) != true)
        {
            options.AdditionalProperties = options.AdditionalProperties is null ? [] : new AdditionalPropertiesDictionary(options.AdditionalProperties);
            options.AdditionalProperties[UsageScope.CallerTagKey] = tag;
        }

        return options;
    }

    /// <summary>The user message of the rewriting call: the history within its token budget, then the follow-up.</summary>
    private string Prompt(List<ChatMessage> history, string question)
    {
        var lines = new List<string>();
        int budget = _options.MaxHistoryTokens;
        for (int i = history.Count - 1; i >= 0 && budget > 0; i--)
        {
            string line = (history[i].Role == ChatRole.User ? "User: " : "Assistant: ") + history[i].Text.Trim();
            int tokens = _tokenCounter.CountTokens(line);
            if (tokens > budget)
            {
                line = Cut(line, budget);
                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                break;
            }

            lines.Add(line);
            budget -= tokens;
        }

        lines.Reverse();
        return new StringBuilder("Conversation:\n")
            .AppendJoin('\n', lines)
            .Append("\n\nLast message: ").Append(question.Trim())
            .Append("\n\nStandalone query:")
            .ToString();
    }

    /// <summary>The longest start of <paramref name="line"/>, cut between words, that fits <paramref name="budget"/> tokens with its ellipsis; empty when not even one word fits.</summary>
    private string Cut(string line, int budget)
    {
        var ends = new List<int>();
        for (int i = 1; i < line.Length; i++)
        {
            if (char.IsWhiteSpace(line[i]) && !char.IsWhiteSpace(line[i - 1]))
            {
                ends.Add(i);
            }
        }

        int low = 0, high = ends.Count - 1, best = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (_tokenCounter.CountTokens(line[..ends[middle]] + " ...") <= budget)
            {
                best = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return best < 0 ? string.Empty : line[..ends[best]] + " ...";
    }
}
