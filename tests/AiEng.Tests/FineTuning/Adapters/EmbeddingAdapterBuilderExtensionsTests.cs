using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterBuilderExtensionsTests
{
    private static readonly EmbeddingGenerationOptions Queries = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query);
    private static readonly EmbeddingGenerationOptions Documents = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document);

    [Fact]
    public async Task Transforms_query_embeddings_only()
    {
        using var generator = Pipeline(Swap());

        var query = await generator.GenerateAsync(["a"], Queries);
        var document = await generator.GenerateAsync(["a"], Documents);
        var unmarked = await generator.GenerateAsync(["a"]);

        Assert.Equal([0f, 1f], query[0].Vector.ToArray());
        Assert.Equal([1f, 0f], document[0].Vector.ToArray());
        Assert.Equal([1f, 0f], unmarked[0].Vector.ToArray());
    }

    [Fact]
    public async Task Keeps_the_order_usage_and_model_id_of_the_inner_result()
    {
        var inner = new TestEmbeddingGenerator
        {
            Metadata = new EmbeddingGeneratorMetadata("test", null, EmbeddingAdapterTestData.Model, 2),
            GenerateAsyncCallback = (values, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
                values.Select((v, i) => new Embedding<float>(new float[] { i, 1 }) { ModelId = "m" + i }))
            {
                Usage = new UsageDetails { InputTokenCount = 7 },
            }),
        };
        using var generator = inner.AsBuilder().UseEmbeddingAdapter(Swap()).Build();

        var result = await generator.GenerateAsync(["a", "b"], Queries);

        Assert.Equal([[1f, 0f], [1f / MathF.Sqrt(2), 1f / MathF.Sqrt(2)]], result.Select(e => e.Vector.ToArray()));
        Assert.Equal(["m0", "m1"], result.Select(e => e.ModelId));
        Assert.Equal(7, result.Usage?.InputTokenCount);
    }

    [Fact]
    public void An_adapter_of_another_model_is_an_error_naming_both_models()
    {
        var adapter = new LinearEmbeddingAdapter("all-MiniLM-L6-v2", 2);
        var inner = Inner();

        var error = Assert.Throws<InvalidOperationException>(() => inner.AsBuilder().UseEmbeddingAdapter(adapter).Build());

        Assert.Contains("'all-MiniLM-L6-v2'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{EmbeddingAdapterTestData.Model}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_adapter_of_another_dimension_count_or_a_generator_without_a_model_id_is_an_error()
    {
        var inner = Inner();
        inner.Metadata = new EmbeddingGeneratorMetadata("test", null, EmbeddingAdapterTestData.Model, 3);
        Assert.Contains("reports 3 dimensions", Assert.Throws<InvalidOperationException>(() => inner.AsBuilder().UseEmbeddingAdapter(Swap()).Build()).Message, StringComparison.Ordinal);

        inner.Metadata = new EmbeddingGeneratorMetadata("test");
        Assert.Contains("reports no model id", Assert.Throws<InvalidOperationException>(() => inner.AsBuilder().UseEmbeddingAdapter(Swap()).Build()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_the_adapter_from_a_file_and_checks_its_model()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("a.adapter");
        new LinearEmbeddingAdapter("other-model", 2).Save(path);

        var error = Assert.Throws<InvalidOperationException>(() => Inner().AsBuilder().UseEmbeddingAdapter(path).Build());

        Assert.Contains("'other-model'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_adapter_applied_from_its_file_transforms_as_the_original()
    {
        using var folder = new TempDirectory();
        string path = folder.Combine("swap.adapter");
        Swap().Save(path);
        using var generator = Inner().AsBuilder().UseEmbeddingAdapter(path).Build();

        var query = await generator.GenerateAsync(["a"], Queries);

        Assert.Equal([0f, 1f], query[0].Vector.ToArray());
        Assert.Equal(EmbeddingAdapterKind.Linear, generator.GetService<EmbeddingAdapter>()?.Kind);
    }

    [Fact]
    public void The_pipeline_answers_the_adapter()
    {
        var adapter = Swap();
        using var generator = Pipeline(adapter);

        Assert.Same(adapter, generator.GetService<EmbeddingAdapter>());
        Assert.Same(adapter, generator.GetService<LinearEmbeddingAdapter>());
        Assert.Equal(EmbeddingAdapterTestData.Model, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        using var generator = Pipeline(Swap());
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["a"], Queries, cancellation.Token));
    }

    [Fact]
    public async Task A_query_embedding_of_another_dimension_count_is_an_error()
    {
        var inner = Inner();
        inner.GenerateAsyncCallback = (values, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[3]))));
        using var generator = inner.AsBuilder().UseEmbeddingAdapter(Swap()).Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["a"], Queries));

        Assert.Contains("Embedding 0 of the call has 3 dimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applies_to_the_registered_pipeline_through_ConfigureEmbeddingPipeline()
    {
        var custom = Inner();
        using var services = TestServices.Build(
            TestServices.Configuration(),
            builder => builder
                .UseEmbeddingGenerator(_ => custom)
                .ConfigureEmbeddingPipeline(pipeline => pipeline.UseEmbeddingAdapter(Swap())));
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var query = await generator.GenerateAsync(["a"], Queries);
        var document = await generator.GenerateAsync(["a"], Documents);

        Assert.Equal([0f, 1f], query[0].Vector.ToArray());
        Assert.Equal([1f, 0f], document[0].Vector.ToArray());
    }

    [Fact]
    public void Rejects_null_arguments()
    {
        var builder = Inner().AsBuilder();
        Assert.Throws<ArgumentNullException>(() => builder.UseEmbeddingAdapter((EmbeddingAdapter)null!));
        Assert.Throws<ArgumentNullException>(() => builder.UseEmbeddingAdapter((string)null!));
    }

    /// <summary>A 2-dimensional adapter that swaps the coordinates.</summary>
    private static LinearEmbeddingAdapter Swap()
    {
        var adapter = new LinearEmbeddingAdapter(EmbeddingAdapterTestData.Model, 2);
        float[] p = adapter.Parameters;
        (p[0], p[1], p[2], p[3]) = (0, 1, 1, 0);
        return adapter;
    }

    private static TestEmbeddingGenerator Inner()
    {
        var inner = TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]);
        inner.Metadata = new EmbeddingGeneratorMetadata("test", null, EmbeddingAdapterTestData.Model, 2);
        return inner;
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Pipeline(EmbeddingAdapter adapter) => Inner().AsBuilder().UseEmbeddingAdapter(adapter).Build();
}
