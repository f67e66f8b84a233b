namespace AiEng.Retrieval;

/// <summary>What formed the query a grounded call searched with (<see cref="RetrievalQuery.Method"/>).</summary>
public enum RetrievalQueryMethod
{
    /// <summary>The last user message, as it is: <see cref="ConversationQueryMode.LastMessage"/>, or the first message of a conversation.</summary>
    LastMessage,

    /// <summary>A chat model condensed the conversation into a standalone question (<see cref="ConversationQueryMode.Condense"/>).</summary>
    Model,

    /// <summary>The offline heuristic formed it (<see cref="ConversationQueryMode.Heuristic"/>, or condensing offline); it may have left the message as it is.</summary>
    Heuristic,

    /// <summary>The model's rewrite failed or came back empty, so the last user message was searched; the failure is logged as a warning.</summary>
    Fallback,
}
