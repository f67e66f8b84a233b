using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Reranking;

public class MmrRerankerTests
{
    [Fact]
    public async Task Skips_near_duplicates_and_embeds_only_candidates_without_a_stored_embedding()
    {
        var embedded = new List<string>();
        var generator = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, _, _) =>
            {
                embedded.AddRange(values);
                var vectors = values.Select(v => v switch
                {
                    "q" => new float[] { 1, 0, 0 },
                    "other topic" => new float[] { 0.6f, 0, 0.8f },
                    _ => throw new InvalidOperationException($"unexpected text {v}"),
                });
                return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v))));
            },
        };
        var first = Chunks.Record("d", 0, "stored one");
        first.Embedding = new float[] { 0.9f, 0.1f, 0 };
        var duplicate = Chunks.Record("d", 1, "stored two");
        duplicate.Embedding = new float[] { 0.9f, 0.12f, 0 };
        var other = Chunks.Record("e", 0, "other topic");
        var reranker = new MmrReranker(generator);

        var ranked = await reranker.RerankAsync("q", Chunks.Ranked(first, duplicate, other), 2);

        Assert.Equal(["d#0", "e#0"], ranked.Keys());
        Assert.Equal(["q", "other topic"], embedded);
        Assert.True(ranked[0].Score > ranked[1].Score);
    }

    [Fact]
    public void Validates_lambda()
    {
        var generator = Chunks.BagOfWords();
        Assert.Throws<ArgumentException>("options", () => new MmrReranker(generator, new MmrRerankerOptions { Lambda = -0.1 }));
        Assert.Throws<ArgumentException>("options", () => new MmrReranker(generator, new MmrRerankerOptions { Lambda = double.NaN }));
    }
}
