namespace AiEng.Retrieval;

/// <summary>How <see cref="RetrievalChatClient"/> forms the retrieval query from the conversation (<see cref="ConversationQueryOptions.Mode"/>).</summary>
public enum ConversationQueryMode
{
    /// <summary>The last user message as it is, whatever came before it. No extra call. The default.</summary>
    LastMessage,

    /// <summary>
    /// A follow-up (a user message after an earlier user message) is rewritten by a chat model into a standalone question
    /// that names what it refers to, so that "and what about its price?" is searched as the price of the product under
    /// discussion. When the rewriting client is the offline extractive responder, which is not a language model, the
    /// <see cref="Heuristic"/> is used instead. The first message of a conversation is searched as it is, without a call.
    /// </summary>
    Condense,

    /// <summary>
    /// A short follow-up that refers back (a pronoun such as <c>it</c> or <c>its</c>, or an opening such as <c>and</c> or
    /// <c>what about</c>) gets the salient terms of the earlier user message it continues appended; no model is called.
    /// docs/retrieval.md spells out the rules.
    /// </summary>
    Heuristic,
}
