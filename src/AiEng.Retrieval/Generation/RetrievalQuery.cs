namespace AiEng.Retrieval;

/// <summary>
/// The query a grounded call searched with and how it was formed from the conversation: in
/// <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/> under <see cref="RetrievalChatClient.QueryKey"/>, read
/// with <see cref="CitationExtensions.GetRetrievalQuery(Microsoft.Extensions.AI.ChatResponse)"/>, to see why a follow-up
/// retrieved what it did.
/// </summary>
/// <remarks>Plain settable properties, so the query survives a JSON round trip (for example through a response cache).</remarks>
public sealed class RetrievalQuery
{
    /// <summary>Gets or sets the text given to the retriever.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets the last user message, the question the call answers.</summary>
    public string Question { get; set; } = string.Empty;

    /// <summary>Gets or sets what formed <see cref="Text"/>.</summary>
    public RetrievalQueryMethod Method { get; set; }

    /// <summary>Gets whether <see cref="Text"/> differs from <see cref="Question"/>.</summary>
    public bool IsRewritten => !string.Equals(Text, Question, StringComparison.Ordinal);
}
