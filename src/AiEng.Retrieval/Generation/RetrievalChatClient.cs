using System.Diagnostics;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiEng.Retrieval;

/// <summary>
/// Chat middleware for retrieval-augmented generation: retrieves chunks for the last user message, packs them into a
/// numbered context within a token budget, gives the context to the model with instructions to cite <c>[n]</c>, and
/// returns the answer with the cited sources. Add it with <c>ChatClientBuilder.UseRetrieval</c>.
/// </summary>
/// <remarks>
/// <para>
/// The context goes into a new <see cref="ChatRole.System"/> message inserted just before the last user message: the
/// instructions (<see cref="RetrievalOptions.Instructions"/>), a <c>Sources:</c> line, then one block per source starting
/// with its marker <c>[n]</c> (<see cref="ContextPacker"/>). A system message rather than a preamble in the user's message
/// leaves the user's message (which may hold images, and which the caller keeps in its history) untouched, sits next to
/// the question it serves, and is read as context by every provider and by the offline
/// <see cref="Offline.ExtractiveResponder"/>. The caller's list of messages and options are never changed: the inner
/// client gets a copy of the list.
/// </para>
/// <para>
/// The response carries a list of <see cref="Citation"/>s in <see cref="ChatResponse.AdditionalProperties"/> under
/// <see cref="CitationsKey"/> (read it with <see cref="CitationExtensions.GetCitations(ChatResponse)"/>); a stream ends with
/// one extra update without content that carries them. With <see cref="RetrievalOptions.CitedSourcesOnly"/> (the default)
/// the list holds the sources whose numbers the answer cites (<c>[2]</c>, <c>[1, 3]</c>), in number order; when the answer
/// cites no valid number it holds every packed source. When nothing is retrieved (or nothing fits the token budget) the messages go to the inner client
/// unchanged and the citation list is empty; when the conversation has no user message with text, the call passes through
/// without retrieval or citations.
/// </para>
/// <para>
/// <b>Filters.</b> A call can restrict what is retrieved for it, for example to the chunks of the user's tenant: put a
/// <see cref="MetadataFilter"/> (or an <c>Expression&lt;Func&lt;ChunkRecord, bool&gt;&gt;</c>) in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="FilterKey"/>; the inner client never sees that entry. For a
/// filter every call needs (from the ambient user, say) set <see cref="RetrievalOptions.ConfigureRequest"/>. Either way the
/// model is only ever given chunks the filter allows.
/// </para>
/// <para>
/// <b>Follow-up questions.</b> By default the query is the last user message as it is. With
/// <see cref="RetrievalOptions.ConversationQuery"/> set to <see cref="ConversationQueryMode.Condense"/>, a follow-up ("and
/// what about its price?") is first rewritten into a standalone question from the latest messages by a chat model (the
/// wrapped client unless another is configured), or by a documented heuristic when that client is the offline extractive
/// responder; the first message of a conversation is searched as it is. A rewrite that fails or returns nothing is logged
/// and the last message is searched. The response carries the query searched and how it was formed
/// (<see cref="QueryKey"/>, <see cref="CitationExtensions.GetRetrievalQuery(ChatResponse)"/>); the model still answers the
/// conversation as the user wrote it.
/// </para>
/// <para>
/// Retrieval runs on every call. Put <c>UseRetrieval</c> before <c>UseFunctionInvocation</c> in the builder (outside it)
/// so that a tool-calling loop retrieves once per user turn.
/// </para>
/// <para>
/// Each call is a span <c>aieng.generation.grounded</c> on the activity source <c>AiEng</c> (retrieved, packed and dropped
/// chunk counts, context tokens, citations, how the query was formed); the rewriting call (a span
/// <c>aieng.retrieval.query_transformation</c>), the retrieval and the inner chat call are its children.
/// </para>
/// </remarks>
public sealed partial class RetrievalChatClient : DelegatingChatClient
{
    /// <summary>The key of the citations in <see cref="ChatResponse.AdditionalProperties"/> and on the last streamed update: <c>aieng.citations</c>.</summary>
    public const string CitationsKey = "aieng.citations";

    /// <summary>
    /// The key of a call's retrieval filter in <see cref="ChatOptions.AdditionalProperties"/>: <c>aieng.retrieval.filter</c>.
    /// Its value is a <see cref="MetadataFilter"/> (set as <see cref="RetrievalRequest.MetadataFilter"/>) or an
    /// <c>Expression&lt;Func&lt;ChunkRecord, bool&gt;&gt;</c> (set as <see cref="RetrievalRequest.Filter"/>); any other value
    /// fails the call with an <see cref="ArgumentException"/>, so a filter is never ignored.
    /// </summary>
    public const string FilterKey = "aieng.retrieval.filter";

    /// <summary>
    /// The key of the query a call searched with in <see cref="ChatResponse.AdditionalProperties"/> and on the last streamed
    /// update: <c>aieng.retrieval.query</c>. Its value is a <see cref="RetrievalQuery"/>; read it with
    /// <see cref="CitationExtensions.GetRetrievalQuery(ChatResponse)"/>.
    /// </summary>
    public const string QueryKey = "aieng.retrieval.query";

    private readonly IRetriever _retriever;
    private readonly RetrievalOptions _options;
    private readonly ContextPacker _packer;
    private readonly ILogger _logger;
    private readonly ConversationQueryBuilder _queries;

    /// <summary>Initializes a new instance of the <see cref="RetrievalChatClient"/> class.</summary>
    /// <param name="innerClient">The client that writes the answer.</param>
    /// <param name="retriever">Finds the chunks for a question.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">
    /// Receives what grounding did (Debug: how the query was formed, chunks retrieved and packed; Information: nothing found;
    /// Warning: a failed rewrite of a follow-up); <see langword="null"/> for none. Questions and context are never logged, and
    /// the query only with <see cref="RetrievalOptions.EnableSensitiveData"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="retriever"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// An option is out of range (the message names it), or <see cref="ConversationQueryOptions.ChatModel"/> is set: only
    /// <c>UseRetrieval</c> can resolve a model by name; give the constructor the client as <see cref="ConversationQueryOptions.ChatClient"/>.
    /// </exception>
    public RetrievalChatClient(IChatClient innerClient, IRetriever retriever, RetrievalOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        _retriever = Throw.IfNull(retriever);
        _options = (options ?? new RetrievalOptions()).Validate();
        if (_options.ConversationQuery.ChatModel is { } model)
        {
            throw new ArgumentException(
                $"{nameof(RetrievalOptions)}.{nameof(RetrievalOptions.ConversationQuery)}.{nameof(ConversationQueryOptions.ChatModel)} is '{model}', but the {nameof(RetrievalChatClient)} constructor has no services to resolve a model by name from: add the middleware with ChatClientBuilder.UseRetrieval, which resolves it from the builder's services, or set {nameof(ConversationQueryOptions.ChatClient)} to the client.",
                nameof(options));
        }

        ITokenCounter tokenCounter = _options.TokenCounter ?? TiktokenTokenCounter.O200kBase;
        _packer = new ContextPacker(tokenCounter, _options.Packing);
        _logger = logger ?? NullLogger.Instance;
        _queries = new ConversationQueryBuilder(_options.ConversationQuery, innerClient, tokenCounter, _options.EnableSensitiveData, _logger);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value under <see cref="FilterKey"/> is not a filter, or the retriever rejects the filter.</exception>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.GroundedGeneration);
        try
        {
            var grounded = await GroundAsync(messages, options, activity, cancellationToken).ConfigureAwait(false);
            if (grounded is null)
            {
                return await base.GetResponseAsync(messages, WithoutFilter(options), cancellationToken).ConfigureAwait(false);
            }

            var response = await base.GetResponseAsync(grounded.Messages, WithoutFilter(options), cancellationToken).ConfigureAwait(false);
            var citations = SelectCitations(grounded.Citations, response.Text);
            var properties = response.AdditionalProperties ??= [];
            properties[CitationsKey] = citations;
            properties[QueryKey] = grounded.Query;
            activity?.SetTag(AiEngTelemetry.Citations, citations.Count);
            return response;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value under <see cref="FilterKey"/> is not a filter, or the retriever rejects the filter.</exception>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    /// <summary>Packs chunks for the question and builds the message list for the inner client; null when there is no question.</summary>
    private async Task<Grounded?> GroundAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, Activity? activity, CancellationToken cancellationToken)
    {
        var list = messages.ToList();
        int questionIndex = list.FindLastIndex(static message => message.Role == ChatRole.User);
        string question = questionIndex < 0 ? string.Empty : list[questionIndex].Text;
        activity?.SetTag(AiEngTelemetry.RetrievalTopK, _options.Top);
        if (string.IsNullOrWhiteSpace(question))
        {
            activity?.SetTag(AiEngTelemetry.Grounded, false);
            RetrievalLog.GroundingSkipped(_logger);
            return null;
        }

        // The call's filter is checked before the query is formed, so that a bad one fails before any rewriting call.
        object? filter = ReadFilter(options);
        var query = await _queries.FormAsync(list, questionIndex, options, activity, cancellationToken).ConfigureAwait(false);
        var chunks = await _retriever.RetrieveAsync(CreateRequest(query.Text, filter, options), cancellationToken).ConfigureAwait(false);
        var packed = _packer.Pack(chunks);
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.Grounded, packed.Citations.Count > 0);
            activity.SetTag(AiEngTelemetry.RetrievalResults, chunks.Count);
            activity.SetTag(AiEngTelemetry.ContextChunks, packed.Citations.Count);
            activity.SetTag(AiEngTelemetry.ContextDropped, packed.Dropped.Count);
            activity.SetTag(AiEngTelemetry.ContextTokens, packed.TokenCount);
        }

        if (packed.Citations.Count == 0)
        {
            RetrievalLog.NothingFound(_logger, chunks.Count);
            return new Grounded(list, [], query);
        }

        RetrievalLog.Grounded(_logger, chunks.Count, packed.Citations.Count, packed.TokenCount, packed.Dropped.Count);

        var context = new StringBuilder();
        if (_options.Instructions.Length > 0)
        {
            context.Append(_options.Instructions).Append("\n\n");
        }

        context.Append("Sources:\n").Append(packed.Text);
        list.Insert(questionIndex, new ChatMessage(ChatRole.System, context.ToString()));
        return new Grounded(list, packed.Citations, query);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The span covers grounding and the whole stream. C# allows no catch around a yield, so each step that can fail
        // (grounding, opening the stream, each MoveNextAsync) marks the span failed on its own.
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.GroundedGeneration);
        Grounded? grounded;
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            grounded = await GroundAsync(messages, options, activity, cancellationToken).ConfigureAwait(false);
            updates = base.GetStreamingResponseAsync(grounded?.Messages ?? messages, WithoutFilter(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }

        StringBuilder? text = grounded is null ? null : new StringBuilder();
        ChatResponseUpdate? last = null;
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
                {
                    throw; // Not reached: the filter only marks the span.
                }

                if (!more)
                {
                    break;
                }

                text?.Append(updates.Current.Text);
                last = updates.Current;
                yield return updates.Current;
            }
        }

        if (grounded is null || text is null)
        {
            yield break;
        }

        var citations = SelectCitations(grounded.Citations, text.ToString());
        activity?.SetTag(AiEngTelemetry.Citations, citations.Count);
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = last?.ResponseId,
            MessageId = last?.MessageId,
            ConversationId = last?.ConversationId,
            ModelId = last?.ModelId,
            AdditionalProperties = new() { [CitationsKey] = citations, [QueryKey] = grounded.Query },
        };
    }

    /// <summary>The call's filter entry removed, so that the inner client (and the provider's request) never carries it.</summary>
    private static ChatOptions? WithoutFilter(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.ContainsKey(FilterKey))
        {
            return options;
        }

        ChatOptions copy = options.Clone();
        var rest = new AdditionalPropertiesDictionary(properties);
        rest.Remove(FilterKey);
        copy.AdditionalProperties = rest.Count == 0 ? null : rest;
        return copy;
    }

    /// <summary>The call's filter (<see cref="FilterKey"/>): a <see cref="MetadataFilter"/>, an expression, or <see langword="null"/> for none.</summary>
    /// <exception cref="ArgumentException">The value is of another type.</exception>
    private static object? ReadFilter(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(FilterKey, out object? value) != true)
        {
            return null;
        }

        return value is MetadataFilter or Expression<Func<ChunkRecord, bool>>
            ? value
            : throw new ArgumentException(
                $"ChatOptions.AdditionalProperties[\"{FilterKey}\"] is {(value is null ? "null" : "a " + value.GetType().Name)}; it must be a {nameof(MetadataFilter)} or an Expression<Func<{nameof(ChunkRecord)}, bool>>.",
                nameof(options));
    }

    /// <summary>The request for <paramref name="query"/>: <see cref="RetrievalOptions.Top"/>, the call's filter, then <see cref="RetrievalOptions.ConfigureRequest"/>.</summary>
    private RetrievalRequest CreateRequest(string query, object? filter, ChatOptions? options)
    {
        var request = new RetrievalRequest(query) { Top = _options.Top };
        switch (filter)
        {
            case MetadataFilter metadata:
                request.MetadataFilter = metadata;
                break;
            case Expression<Func<ChunkRecord, bool>> expression:
                request.Filter = expression;
                break;
        }

        _options.ConfigureRequest?.Invoke(request, options);
        return request;
    }

    private IReadOnlyList<Citation> SelectCitations(IReadOnlyList<Citation> packed, string answer)
    {
        if (!_options.CitedSourcesOnly || packed.Count == 0)
        {
            return packed;
        }

        var cited = new HashSet<int>();
        foreach (Match marker in MarkerPattern().Matches(answer))
        {
            foreach (Capture number in marker.Groups["number"].Captures)
            {
                if (int.TryParse(number.Value, System.Globalization.CultureInfo.InvariantCulture, out int n))
                {
                    cited.Add(n);
                }
            }
        }

        var selected = packed.Where(citation => cited.Contains(citation.Number)).ToArray();
        return selected.Length > 0 ? selected : packed;
    }

    /// <summary>Citation markers: <c>[3]</c>, <c>[1, 2]</c>, <c>[1; 4]</c>.</summary>
    [GeneratedRegex(@"\[\s*(?<number>\d{1,4})(?:\s*[,;]\s*(?<number>\d{1,4}))*\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();

    private sealed record Grounded(List<ChatMessage> Messages, IReadOnlyList<Citation> Citations, RetrievalQuery Query);
}
