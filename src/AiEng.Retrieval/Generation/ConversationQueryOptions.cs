using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// How <see cref="RetrievalChatClient"/> turns a follow-up question into a retrieval query from the conversation
/// (<see cref="RetrievalOptions.ConversationQuery"/>).
/// </summary>
/// <remarks>The client copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class ConversationQueryOptions
{
    /// <summary>The default <see cref="MaxHistoryMessages"/>: 6 (three exchanges).</summary>
    public const int DefaultMaxHistoryMessages = 6;

    /// <summary>The default <see cref="MaxHistoryTokens"/>: 1,000.</summary>
    public const int DefaultMaxHistoryTokens = 1_000;

    /// <summary>The default <see cref="Instructions"/> of the condensing call.</summary>
    public const string DefaultInstructions =
        "You turn the last message of a conversation into a standalone search query for a document search engine. " +
        "Replace every pronoun and reference (it, its, they, that one, the second option) with what it refers to in the conversation, " +
        "and keep the names, numbers and terms the user used. Do not answer the question and do not add facts. " +
        "If the last message already stands on its own, repeat it unchanged. Reply with the query only, on one line, without quotes or explanations.";

    /// <summary>
    /// Gets or sets how the query is formed. Default: <see cref="ConversationQueryMode.LastMessage"/>, the last user message
    /// as it is, which needs no extra model call; <see cref="ConversationQueryMode.Condense"/> makes one call per follow-up.
    /// </summary>
    public ConversationQueryMode Mode { get; set; } = ConversationQueryMode.LastMessage;

    /// <summary>
    /// Gets or sets the chat client that condenses follow-ups, for example a smaller, cheaper model than the one that
    /// answers. Default: <see langword="null"/>: the model named by <see cref="ChatModel"/>, else the client
    /// <c>UseRetrieval</c> wraps. Set at most one of the two.
    /// </summary>
    public IChatClient? ChatClient { get; set; }

    /// <summary>
    /// Gets or sets the name of the chat model that condenses follow-ups, resolved when the pipeline is built as the keyed
    /// <see cref="IChatClient"/> of that name from the builder's services (AiEng serves every model configured under
    /// <c>AiEng:ChatModels:&lt;name&gt;</c> that way). Default: <see langword="null"/>. Only <c>UseRetrieval</c> can resolve it; the
    /// <see cref="RetrievalChatClient"/> constructor rejects it.
    /// </summary>
    public string? ChatModel { get; set; }

    /// <summary>Gets or sets the instructions (system message) of the condensing call. Default: <see cref="DefaultInstructions"/>. Not empty.</summary>
    public string Instructions { get; set; } = DefaultInstructions;

    /// <summary>
    /// Gets or sets the chat options of the condensing call, cloned for every call. Default: <see langword="null"/>. The call
    /// gets <see cref="Microsoft.Extensions.AI.ChatOptions.Temperature"/> 0 unless these set one, the call's model id when it
    /// goes to the wrapped client, and the call's caller tag (<c>UsageScope.CallerTagKey</c>) unless these set one.
    /// </summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// Gets or sets how many of the latest user and assistant messages before the follow-up the condensing call and the
    /// heuristic read. Default: <see cref="DefaultMaxHistoryMessages"/>. At least 1.
    /// </summary>
    public int MaxHistoryMessages { get; set; } = DefaultMaxHistoryMessages;

    /// <summary>
    /// Gets or sets the token budget of the history the condensing call reads, counted with
    /// <see cref="RetrievalOptions.TokenCounter"/>: messages are taken newest first while they fit, and the first one that
    /// does not fit is cut to what is left. The follow-up itself is not counted. Default: <see cref="DefaultMaxHistoryTokens"/>. At least 1.
    /// </summary>
    public int MaxHistoryTokens { get; set; } = DefaultMaxHistoryTokens;

    /// <summary>Checks the values and returns a copy.</summary>
    internal ConversationQueryOptions Validate()
    {
        const string Name = nameof(RetrievalOptions) + "." + nameof(RetrievalOptions.ConversationQuery);
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"{Name}.{nameof(Mode)} is {Mode}, which is not a {nameof(ConversationQueryMode)}.", "options");
        }

        if (ChatClient is not null && ChatModel is not null)
        {
            throw new ArgumentException(
                $"{Name}.{nameof(ChatClient)} and {Name}.{nameof(ChatModel)} are both set; set {nameof(ChatClient)} to a client, or {nameof(ChatModel)} to the name of a chat model in the services, not both.",
                "options");
        }

        if (ChatModel is not null && string.IsNullOrWhiteSpace(ChatModel))
        {
            throw new ArgumentException($"{Name}.{nameof(ChatModel)} is blank; set it to the name of a chat model (for example \"small\"), or leave it null to condense with the wrapped client.", "options");
        }

        if (string.IsNullOrWhiteSpace(Instructions))
        {
            throw new ArgumentException($"{Name}.{nameof(Instructions)} is {(Instructions is null ? "null" : "empty")}; leave it at {nameof(DefaultInstructions)} or say how to rewrite a follow-up into a standalone query.", "options");
        }

        if (MaxHistoryMessages < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(MaxHistoryMessages)} is {MaxHistoryMessages} but must be at least 1, for example {DefaultMaxHistoryMessages}.", "options");
        }

        if (MaxHistoryTokens < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(MaxHistoryTokens)} is {MaxHistoryTokens} but must be at least 1, for example {DefaultMaxHistoryTokens}.", "options");
        }

        return new ConversationQueryOptions
        {
            Mode = Mode,
            ChatClient = ChatClient,
            ChatModel = ChatModel,
            Instructions = Instructions,
            ChatOptions = ChatOptions?.Clone(),
            MaxHistoryMessages = MaxHistoryMessages,
            MaxHistoryTokens = MaxHistoryTokens,
        };
    }
}
