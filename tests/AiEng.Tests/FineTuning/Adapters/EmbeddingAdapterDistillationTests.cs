using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.Retrieval;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterDistillationTests
{
    [Fact]
    public async Task Labels_each_query_with_the_teachers_top_chunk_and_lower_ranked_hard_negatives()
    {
        ChunkRecord[] ranked = [.. Enumerable.Range(0, 6).Select(i => Chunks.Record("doc", i, "passage " + i))];
        var teacher = Chunks.Fixed(new() { ["what is a passage"] = ranked });
        var calls = new List<(string[] Texts, EmbeddingInputKind Kind)>();
        using var generator = Recording(calls);

        var examples = await EmbeddingAdapterDistillation.CreateExamplesAsync(teacher, generator, ["what is a passage", "what is a passage", " "], negativesFrom: 3, negatives: 2);

        var example = Assert.Single(examples);
        Assert.Equal("what is a passage", example.Group);
        Assert.Equal(Vector("what is a passage"), example.Query.ToArray());
        Assert.Equal(Vector("passage 0"), example.Positive.ToArray());
        Assert.Equal([Vector("passage 3"), Vector("passage 4")], example.HardNegatives.Select(n => n.ToArray()));
        Assert.Equal([("what is a passage", 5)], teacher.Calls);
        Assert.Equal(EmbeddingInputKind.Query, calls[0].Kind);
        Assert.Equal(["what is a passage"], calls[0].Texts);
        Assert.Equal(EmbeddingInputKind.Document, calls[1].Kind);
        Assert.Equal(["passage 0", "passage 3", "passage 4"], calls[1].Texts);
    }

    [Fact]
    public async Task Keeps_the_vectors_chunks_come_with_and_skips_queries_the_teacher_finds_nothing_for()
    {
        ChunkRecord[] ranked = [.. Enumerable.Range(0, 3).Select(i => Chunks.Record("doc", i, "passage " + i))];
        foreach (var chunk in ranked)
        {
            chunk.Embedding = new float[] { 9, 9, 9 };
        }

        var teacher = Chunks.Fixed(new() { ["q"] = ranked });
        var calls = new List<(string[] Texts, EmbeddingInputKind Kind)>();
        using var generator = Recording(calls);

        var examples = await EmbeddingAdapterDistillation.CreateExamplesAsync(teacher, generator, ["q", "unknown"], negativesFrom: 1, negatives: 1);

        var example = Assert.Single(examples);
        Assert.Equal([9f, 9f, 9f], example.Positive.ToArray());
        Assert.Equal(["q"], Assert.Single(calls).Texts);
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        var teacher = Chunks.Fixed(new() { ["q"] = [Chunks.Record("doc", 0, "p")] });
        using var generator = Recording([]);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EmbeddingAdapterDistillation.CreateExamplesAsync(teacher, generator, ["q"], cancellationToken: cancellation.Token));
    }

    private static float[] Vector(string text) => [text.Length, text.Count(c => c == ' '), 1];

    private static TestEmbeddingGenerator Recording(List<(string[] Texts, EmbeddingInputKind Kind)> calls) => new()
    {
        GenerateAsyncCallback = (values, options, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] texts = [.. values];
            calls.Add((texts, options.GetInputKind()));
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Vector(t)))));
        },
    };
}
