using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="RetrievalChatClient"/> (<c>ChatClientBuilder.UseRetrieval</c>).</summary>
/// <remarks>The client copies the options; changing them afterwards has no effect on it.</remarks>
public sealed class RetrievalOptions
{
    /// <summary>The default <see cref="Top"/>: 8.</summary>
    public const int DefaultTop = 8;

    /// <summary>The default <see cref="Instructions"/>.</summary>
    public const string DefaultInstructions =
        "Answer the user's last message using the numbered sources below. Cite every source you use by its number in square brackets, " +
        "like [1] or [2][3], right after the statement it supports. If the sources do not contain the answer, say that you do not know; " +
        "do not make one up.";

    /// <summary>Gets or sets how many chunks to retrieve for each question. Default: <see cref="DefaultTop"/>. At least 1.</summary>
    public int Top { get; set; } = DefaultTop;

    /// <summary>Gets or sets how the retrieved chunks are packed (token budget, overlaps, order). Default: <see cref="ContextPackerOptions"/>' defaults (2,000 tokens).</summary>
    public ContextPackerOptions Packing { get; set; } = new();

    /// <summary>
    /// Gets or sets the token counter of the budget. Default: <see langword="null"/>: the <see cref="ITokenCounter"/>
    /// registered in the builder's services, else <see cref="TiktokenTokenCounter.O200kBase"/>.
    /// </summary>
    public ITokenCounter? TokenCounter { get; set; }

    /// <summary>
    /// Gets or sets the instructions that precede the sources in the context message. Default: <see cref="DefaultInstructions"/>,
    /// which asks for <c>[n]</c> citations and for "I do not know" when the sources do not answer.
    /// </summary>
    public string Instructions { get; set; } = DefaultInstructions;

    /// <summary>
    /// Gets or sets whether the response lists only the sources the answer cites with <c>[n]</c> markers. When the answer
    /// cites none, every packed source is listed either way. Default: <see langword="true"/>.
    /// </summary>
    public bool CitedSourcesOnly { get; set; } = true;

    /// <summary>
    /// Gets or sets a callback that completes each call's <see cref="RetrievalRequest"/> before it is sent to the retriever,
    /// given the call's <see cref="ChatOptions"/> (or <see langword="null"/>); for example
    /// <c>(request, _) =&gt; request.Where("tenant", currentUser.Tenant)</c>. It runs after the call's own filter
    /// (<see cref="RetrievalChatClient.FilterKey"/>) is set, and may narrow it. Default: <see langword="null"/>.
    /// </summary>
    public Action<RetrievalRequest, ChatOptions?>? ConfigureRequest { get; set; }

    /// <summary>
    /// Gets or sets how the retrieval query is formed from the conversation: the last user message as it is (the default), or
    /// a follow-up condensed into a standalone question by a chat model or by the offline heuristic. Default:
    /// <see cref="ConversationQueryOptions"/>' defaults (<see cref="ConversationQueryMode.LastMessage"/>).
    /// </summary>
    public ConversationQueryOptions ConversationQuery { get; set; } = new();

    /// <summary>
    /// Gets or sets whether the text of the retrieval query goes into telemetry: the span attribute <c>aieng.retrieval.query</c>
    /// and a Debug log entry. Off by default, as queries hold what users typed. The response carries the query either way
    /// (<see cref="CitationExtensions.GetRetrievalQuery(ChatResponse)"/>). Default: <see langword="false"/>.
    /// </summary>
    public bool EnableSensitiveData { get; set; }

    /// <summary>Checks the values and returns a copy.</summary>
    internal RetrievalOptions Validate()
    {
        const string Name = nameof(RetrievalOptions);
        if (Top < 1)
        {
            throw new ArgumentException($"{Name}.{nameof(Top)} is {Top} but must be at least 1, for example {DefaultTop}.", "options");
        }

        if (Packing is null)
        {
            throw new ArgumentException($"{Name}.{nameof(Packing)} is null; leave it at its default or set it to a {nameof(ContextPackerOptions)}.", "options");
        }

        if (Instructions is null)
        {
            throw new ArgumentException($"{Name}.{nameof(Instructions)} is null; set it to an empty string for no instructions.", "options");
        }

        if (ConversationQuery is null)
        {
            throw new ArgumentException($"{Name}.{nameof(ConversationQuery)} is null; leave it at its default or set it to a {nameof(ConversationQueryOptions)}.", "options");
        }

        return new RetrievalOptions
        {
            Top = Top,
            Packing = Packing.Validate("options"),
            TokenCounter = TokenCounter,
            Instructions = Instructions,
            CitedSourcesOnly = CitedSourcesOnly,
            ConfigureRequest = ConfigureRequest,
            ConversationQuery = ConversationQuery.Validate(),
            EnableSensitiveData = EnableSensitiveData,
        };
    }
}
