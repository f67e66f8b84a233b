using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageTrackingEmbeddingGeneratorBuilderExtensionsTests
{
    [Fact]
    public async Task Adds_usage_tracking_to_an_embedding_pipeline_with_the_given_ledger_and_options()
    {
        var ledger = new UsageLedger();
        var inner = TestEmbeddingGenerator.FromFunction(_ => [1f]);

        using IEmbeddingGenerator<string, Embedding<float>> generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseUsageTracking(ledger, o => o.DefaultCallerTag = "indexer")
            .Build();
        await generator.GenerateAsync(["hello world"]);

        UsageRecord record = Assert.Single(ledger.GetRecords());
        Assert.Equal(("embeddings", "indexer", true), (record.Operation, record.CallerTag, record.IsEstimated));
    }

    [Fact]
    public async Task Uses_the_ledger_registered_in_the_services()
    {
        var ledger = new UsageLedger();
        using ServiceProvider services = new ServiceCollection().AddSingleton<IUsageLedger>(ledger).BuildServiceProvider();

        using IEmbeddingGenerator<string, Embedding<float>> generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(TestEmbeddingGenerator.FromFunction(_ => [1f]))
            .UseUsageTracking()
            .Build(services);
        await generator.GenerateAsync(["a"]);

        Assert.Single(ledger.GetRecords());
    }
}
