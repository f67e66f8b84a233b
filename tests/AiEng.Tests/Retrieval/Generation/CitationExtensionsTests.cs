using System.Text.Json;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Generation;

public class CitationExtensionsTests
{
    [Fact]
    public void Reads_citations_back_after_a_json_round_trip()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Two years [1]."))
        {
            AdditionalProperties = new()
            {
                [RetrievalChatClient.CitationsKey] = new[]
                {
                    new Citation { Number = 1, DocumentId = "warranty", Title = "Warranty", StartOffset = 10, EndOffset = 40, Page = 2, ChunkKeys = [Chunks.KeyOf("warranty#0")], Score = 0.5 },
                },
            },
        };

        string json = JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
        var restored = JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions)!;

        var citation = Assert.Single(restored.GetCitations());
        Assert.Equal((1, "warranty", "Warranty", 10, 40, 2, 0.5), (citation.Number, citation.DocumentId, citation.Title, citation.StartOffset, citation.EndOffset, citation.Page, citation.Score));
        Assert.Equal(Chunks.KeysOf("warranty#0"), citation.ChunkKeys);
    }

    [Fact]
    public void Returns_no_citations_when_there_are_none_or_they_are_unreadable()
    {
        Assert.Empty(new ChatResponse().GetCitations());
        Assert.Empty(new ChatResponseUpdate { AdditionalProperties = new() { [RetrievalChatClient.CitationsKey] = "oops" } }.GetCitations());
        using var document = JsonDocument.Parse("[{\"number\": \"x\"}]");
        Assert.Empty(new ChatResponse { AdditionalProperties = new() { [RetrievalChatClient.CitationsKey] = document.RootElement.Clone() } }.GetCitations());
        Assert.Throws<ArgumentNullException>("response", () => ((ChatResponse)null!).GetCitations());
    }
}
