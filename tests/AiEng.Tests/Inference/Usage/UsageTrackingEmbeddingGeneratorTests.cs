using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageTrackingEmbeddingGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly UsageLedger _ledger = new();

    [Fact]
    public async Task Records_an_embeddings_call_with_the_usage_the_provider_reports()
    {
        using var generator = Create(Generating("text-embedding-3-small", new UsageDetails { InputTokenCount = 8 }), o =>
            o.Prices["text-embedding-3-small"] = new ModelPrice { InputPerMillion = 0.02m });

        await generator.GenerateAsync(["hello world", "goodbye"]);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.Equal("embeddings", record.Operation);
        Assert.Equal("test", record.Provider);
        Assert.Equal("text-embedding-3-small", record.Model);
        Assert.Equal(8, record.InputTokens);
        Assert.Equal(0, record.OutputTokens);
        Assert.Equal(8 * 0.02m / 1_000_000m, record.Cost);
        Assert.Equal(TimeSpan.FromMilliseconds(40), record.Latency);
        Assert.False(record.IsEstimated);
    }

    [Fact]
    public async Task Estimates_input_tokens_when_the_provider_reports_no_usage()
    {
        using var generator = Create(Generating("text-embedding-3-small", usage: null));

        await generator.GenerateAsync(["hello world", "tiktoken is great!"]);

        UsageRecord record = Assert.Single(_ledger.GetRecords());
        Assert.True(record.IsEstimated);
        Assert.Equal(2 + 6, record.InputTokens);
    }

    [Fact]
    public async Task Takes_the_model_from_the_generator_metadata_when_embeddings_have_none()
    {
        using var generator = Create(Generating(model: null, usage: new UsageDetails { InputTokenCount = 1 }));

        await generator.GenerateAsync(["a"]);

        Assert.Equal("test-embeddings", Assert.Single(_ledger.GetRecords()).Model);
    }

    [Fact]
    public async Task Refuses_a_call_over_budget_before_sending_it()
    {
        var inner = Generating("text-embedding-3-small", new UsageDetails { InputTokenCount = 1 });
        using var generator = Create(inner, o => o.Budgets["embeddings"] = new UsageBudget { MaxTokens = 3, Operation = "embeddings" });

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => generator.GenerateAsync(["hello world", "hello world"]));

        Assert.Equal(0, inner.CallCount);
        Assert.Equal("embeddings", ex.BudgetName);
        Assert.Equal(4, ex.EstimatedTokens);
    }

    [Fact]
    public async Task Enumerates_a_lazy_input_once_when_checking_a_budget()
    {
        int enumerations = 0;
        IEnumerable<string> Values()
        {
            enumerations++;
            yield return "hello";
        }

        using var generator = Create(Generating("m", new UsageDetails { InputTokenCount = 1 }), o => o.Budgets["b"] = new UsageBudget { MaxTokens = 100 });

        await generator.GenerateAsync(Values());

        Assert.Equal(1, enumerations);
    }

    [Fact]
    public async Task Tags_a_call_from_its_options()
    {
        using var generator = Create(Generating("m", new UsageDetails { InputTokenCount = 1 }));

        await generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [UsageScope.CallerTagKey] = "indexer" } });

        Assert.Equal("indexer", Assert.Single(_ledger.GetRecords()).CallerTag);
    }

    [Fact]
    public async Task Does_not_record_a_call_that_fails()
    {
        var inner = new TestEmbeddingGenerator { GenerateAsyncCallback = (_, _, _) => throw new InvalidOperationException("down") };
        using var generator = Create(inner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["a"]));

        Assert.Empty(_ledger.GetRecords());
    }

    [Fact]
    public void Exposes_its_ledger_as_a_service()
    {
        using var generator = Create(Generating("m", usage: null));

        Assert.Same(_ledger, generator.GetService<IUsageLedger>());
    }

    [Fact]
    public async Task Emits_the_cost_of_embeddings_but_no_token_metric_when_metrics_are_enabled()
    {
        using var meters = new TestMeterFactory();
        using var tokens = new MetricCollector<long>(meters, "AiEng", "gen_ai.client.token.usage");
        using var cost = new MetricCollector<double>(meters, "AiEng", "aieng.usage.cost");
        var options = new UsageTrackingOptions { EnableMetrics = true };
        options.Prices["text-embedding-3-small"] = new ModelPrice { InputPerMillion = 1_000_000m, OutputPerMillion = 0m };
        using var generator = new UsageTrackingEmbeddingGenerator(
            Generating("text-embedding-3-small", new UsageDetails { InputTokenCount = 8 }), _ledger, options, _time, meters);

        await generator.GenerateAsync(["hello world"]);

        var measurement = Assert.Single(cost.GetMeasurementSnapshot());
        Assert.Equal("embeddings", measurement.Tags["gen_ai.operation.name"]);
        Assert.Equal(8.0, measurement.Value, 6);
        Assert.Empty(tokens.GetMeasurementSnapshot());
    }

    private UsageTrackingEmbeddingGenerator Create(TestEmbeddingGenerator inner, Action<UsageTrackingOptions>? configure = null)
    {
        var options = new UsageTrackingOptions();
        configure?.Invoke(options);
        return new UsageTrackingEmbeddingGenerator(inner, _ledger, options, _time);
    }

    private TestEmbeddingGenerator Generating(string? model, UsageDetails? usage) => new()
    {
        GenerateAsyncCallback = (values, _, _) =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(40));
            var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0 }) { ModelId = model }))
            {
                Usage = usage,
            };
            return Task.FromResult(embeddings);
        },
    };
}
