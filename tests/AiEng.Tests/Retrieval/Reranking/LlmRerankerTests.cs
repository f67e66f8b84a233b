using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Reranking;

public class LlmRerankerTests
{
    private static IReadOnlyList<RetrievedChunk> Candidates(int count) =>
        Chunks.Ranked([.. Enumerable.Range(0, count).Select(i => Chunks.Record("d", i, $"passage number {i}"))]);

    private static async Task<IReadOnlyList<string>> RerankWithReplyAsync(string reply, int count = 4)
    {
        var reranker = new LlmReranker(TestChatClient.Replying(reply));
        return [.. (await reranker.RerankAsync("q", Candidates(count), count)).Keys()];
    }

    [Fact]
    public async Task Orders_candidates_by_the_judge_scores_and_reports_them()
    {
        var reranker = new LlmReranker(TestChatClient.Replying("""[{"index": 0, "score": 2}, {"index": 1, "score": 9}, {"index": 2, "score": 5.5}]"""));

        var ranked = await reranker.RerankAsync("q", Candidates(3), 3);

        Assert.Equal(["d#1", "d#2", "d#0"], ranked.Keys());
        Assert.Equal([9, 5.5, 2], ranked.Select(c => c.Score));
    }

    [Theory]
    [InlineData("Sure! Here are the scores:\n```json\n[{\"index\": 3, \"score\": 8}, {\"index\": 1, \"score\": 6},]\n```\nLet me know if you need more.")]
    [InlineData("[{\"Index\": \"3\", \"Score\": \"8/10\"}, {\"id\": 1, \"relevance\": 6}]")]
    [InlineData("[{\"index\": 3, \"score\": 8}, {\"index\": 3, \"score\": 0}, {\"index\": 1, \"score\": 6}, {\"index\": 17, \"score\": 10}, {\"index\": -1, \"score\": 10}]")]
    [InlineData("[{\"index\": 3, \"score\": 8}, {\"index\": 0, \"score\": \"high\"}, {\"index\": 2, \"score\": null}, {\"index\": 1, \"score\": 6}]")]
    [InlineData("I rated them. index: 3, score: 8. index: 1, score: 6.")]
    [InlineData("The passages [0] and [2] are weak.\n[{\"index\": 3, \"score\": 8}, {\"index\": 1, \"score\": 6}]")]
    [InlineData("[{\"index\": 3, \"score\": 80}, {\"index\": 1, \"score\": 6}, {\"index\": 1.5, \"score\": 9}]")]
    public async Task Reads_scores_out_of_hostile_judge_output(string reply)
    {
        // 3 and 1 are scored (3 higher); 0 and 2 are not and keep retriever order after them.
        Assert.Equal(["d#3", "d#1", "d#0", "d#2"], await RerankWithReplyAsync(reply));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("I cannot rate these passages.")]
    [InlineData("[{\"index\": 0, \"score\": ")]
    [InlineData("{\"index\": [}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    [InlineData("[1, 2, 3]")]
    public async Task Keeps_the_retriever_order_when_nothing_can_be_read(string reply)
    {
        var reranker = new LlmReranker(TestChatClient.Replying(reply));

        var ranked = await reranker.RerankAsync("q", Candidates(3), 3);

        Assert.Equal(["d#0", "d#1", "d#2"], ranked.Keys());
        Assert.All(ranked, c => Assert.Equal(LlmReranker.UnscoredScore, c.Score));
    }

    [Fact]
    public async Task Judges_at_most_the_candidate_limit_in_batches_and_keeps_the_rest_in_order_after()
    {
        var prompts = new List<string>();
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                Assert.Equal(0f, options!.Temperature);
                prompts.Add(messages.Last().Text);

                // Every batch rates its last passage highest.
                int size = prompts.Count == 1 ? 2 : 1;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"[{{\"index\": {size - 1}, \"score\": {prompts.Count + 5}}}]")));
            },
        };
        var reranker = new LlmReranker(client, new LlmRerankerOptions { MaxCandidates = 3, BatchSize = 2, MaxPassageCharacters = 9 });

        var ranked = await reranker.RerankAsync("which passage?", Candidates(5), 4);

        Assert.Equal(2, client.CallCount);
        Assert.Contains("Query: which passage?", prompts[0], StringComparison.Ordinal);
        Assert.Contains("[0] passage n …", prompts[0], StringComparison.Ordinal);
        Assert.Contains("[1] passage n …", prompts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("[2]", prompts[0], StringComparison.Ordinal);
        Assert.Contains("[0] passage n …", prompts[1], StringComparison.Ordinal);

        // Batch 1 scored candidate 1 (6), batch 2 candidate 2 (7); 0 unscored; 3 and 4 beyond the limit.
        Assert.Equal(["d#2", "d#1", "d#0", "d#3"], ranked.Keys());
        Assert.Equal([7, 6, LlmReranker.UnscoredScore, LlmReranker.UnscoredScore], ranked.Select(c => c.Score));
    }

    [Fact]
    public void Validates_its_options()
    {
        var client = TestChatClient.Replying("[]");
        Assert.Throws<ArgumentNullException>("chatClient", () => new LlmReranker(null!));
        Assert.Throws<ArgumentException>("options", () => new LlmReranker(client, new LlmRerankerOptions { MaxCandidates = 0 }));
        Assert.Throws<ArgumentException>("options", () => new LlmReranker(client, new LlmRerankerOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentException>("options", () => new LlmReranker(client, new LlmRerankerOptions { MaxPassageCharacters = 0 }));
    }
}
