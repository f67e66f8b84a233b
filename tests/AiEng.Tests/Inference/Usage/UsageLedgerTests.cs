using AiEng.Inference;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageLedgerTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sums_every_record_into_the_totals()
    {
        var ledger = new UsageLedger();
        ledger.Record(NewRecord("gpt-4o", input: 100, output: 20, cached: 50, cost: 0.5m, latencyMs: 200));
        ledger.Record(NewRecord("gpt-4o-mini", input: 10, output: 5, cost: null, estimated: true, latencyMs: 100));

        UsageTotals totals = ledger.GetTotals();

        Assert.Equal(2, totals.Calls);
        Assert.Equal(110, totals.InputTokens);
        Assert.Equal(25, totals.OutputTokens);
        Assert.Equal(135, totals.TotalTokens);
        Assert.Equal(50, totals.CachedInputTokens);
        Assert.Equal(0.5m, totals.Cost);
        Assert.Equal(1, totals.EstimatedCalls);
        Assert.Equal(1, totals.UnpricedCalls);
        Assert.Equal(TimeSpan.FromMilliseconds(300), totals.TotalLatency);
    }

    [Fact]
    public void Groups_totals_by_model_operation_caller_tag_and_provider()
    {
        var ledger = new UsageLedger();
        ledger.Record(NewRecord("gpt-4o", input: 1, cost: 1m, tag: "bot", provider: "openai"));
        ledger.Record(NewRecord("gpt-4o", input: 2, cost: 2m, tag: "search", provider: "openai"));
        ledger.Record(NewRecord("text-embedding-3-small", input: 4, cost: 4m, operation: "embeddings"));

        var byModel = ledger.GetTotalsBy(UsageGrouping.Model);
        var byOperation = ledger.GetTotalsBy(UsageGrouping.Operation);
        var byTag = ledger.GetTotalsBy(UsageGrouping.CallerTag);
        var byProvider = ledger.GetTotalsBy(UsageGrouping.Provider);

        Assert.Equal((2, 3, 3m), (byModel["gpt-4o"].Calls, byModel["gpt-4o"].InputTokens, byModel["gpt-4o"].Cost));
        Assert.Equal(4, byModel["text-embedding-3-small"].InputTokens);
        Assert.Equal(3, byOperation["chat"].InputTokens);
        Assert.Equal(4, byOperation["embeddings"].InputTokens);
        Assert.Equal(["", "bot", "search"], byTag.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, byTag[""].InputTokens);
        Assert.Equal(3, byProvider["openai"].InputTokens);
        Assert.Equal(4, byProvider[""].InputTokens);
    }

    [Fact]
    public void Totals_one_group_alone_counting_records_the_ledger_no_longer_retains()
    {
        var ledger = new UsageLedger(maxRecords: 2);
        ledger.Record(NewRecord("gpt-4o", input: 1, cost: 1m, tag: "case-1"));
        ledger.Record(NewRecord("gpt-4o-mini", input: 2, cost: 2m, tag: "case-1"));
        ledger.Record(NewRecord("gpt-4o", input: 4, cost: null, tag: "case-2"));
        ledger.Record(NewRecord("gpt-4o", input: 8, cost: 8m, tag: null));

        UsageTotals first = ledger.GetTotals(UsageGrouping.CallerTag, "case-1");
        UsageTotals untagged = ledger.GetTotals(UsageGrouping.CallerTag, string.Empty);
        UsageTotals model = ledger.GetTotals(UsageGrouping.Model, "gpt-4o");

        Assert.Equal((2, 3, 3m), (first.Calls, first.InputTokens, first.Cost));
        Assert.Equal(8, untagged.InputTokens);
        Assert.Equal((3, 13, 9m, 1), (model.Calls, model.InputTokens, model.Cost, model.UnpricedCalls));
        Assert.Equal(0, ledger.GetTotals(UsageGrouping.CallerTag, "case-3").Calls);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.GetTotals((UsageGrouping)42, "x"));
    }

    [Fact]
    public void Totals_interleaved_combinations_and_merges_no_caller_tag_with_an_empty_one()
    {
        var ledger = new UsageLedger();
        for (int i = 0; i < 3; i++)
        {
            ledger.Record(NewRecord("gpt-4o", input: 1, cost: 0.1m, tag: "bot", provider: "openai"));
            ledger.Record(NewRecord("gpt-4o", input: 10, cost: 0.01m, tag: null, provider: "openai"));
            ledger.Record(NewRecord("gpt-4o", input: 100, cost: 0.001m, tag: string.Empty, provider: null));
        }

        var byTag = ledger.GetTotalsBy(UsageGrouping.CallerTag);
        var byProvider = ledger.GetTotalsBy(UsageGrouping.Provider);
        UsageTotals totals = ledger.GetTotals();

        Assert.Equal(["", "bot"], byTag.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((6, 330L, 0.033m), (byTag[""].Calls, byTag[""].InputTokens, byTag[""].Cost));
        Assert.Equal((3, 3L, 0.3m), (byTag["bot"].Calls, byTag["bot"].InputTokens, byTag["bot"].Cost));
        Assert.Equal((6, 33L), (byProvider["openai"].Calls, byProvider["openai"].InputTokens));
        Assert.Equal((3, 300L), (byProvider[""].Calls, byProvider[""].InputTokens));
        Assert.Equal((9, 333L, 0.333m), (totals.Calls, totals.InputTokens, totals.Cost));
        Assert.Equal(333, ledger.GetTotalsBy(UsageGrouping.Model)["gpt-4o"].InputTokens);
    }

    [Fact]
    public async Task Keeps_exact_totals_under_concurrent_recording()
    {
        var ledger = new UsageLedger(maxRecords: 100);
        const int Threads = 8;
        const int PerThread = 2_000;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                ledger.Record(NewRecord(t % 2 == 0 ? "even" : "odd", input: 3, output: 1, cost: 0.001m, tag: $"t{t}"));
            }
        })));

        UsageTotals totals = ledger.GetTotals();
        Assert.Equal(Threads * PerThread, totals.Calls);
        Assert.Equal(3L * Threads * PerThread, totals.InputTokens);
        Assert.Equal(0.001m * Threads * PerThread, totals.Cost);
        Assert.Equal(Threads * PerThread / 2, ledger.GetTotalsBy(UsageGrouping.Model)["even"].Calls);
        Assert.All(ledger.GetTotalsBy(UsageGrouping.CallerTag).Values, t => Assert.Equal(PerThread, t.Calls));
        Assert.Equal(Threads * PerThread, ledger.RecordCount);
        Assert.Equal(100, ledger.GetRecords().Count);
    }

    [Fact]
    public void Retains_the_newest_records_but_totals_all_of_them()
    {
        var ledger = new UsageLedger(maxRecords: 2);
        for (int i = 1; i <= 5; i++)
        {
            ledger.Record(NewRecord("m", input: i));
        }

        Assert.Equal([4L, 5L], ledger.GetRecords().Select(r => r.InputTokens));
        Assert.Equal(15, ledger.GetTotals().InputTokens);
        Assert.Equal(5, ledger.RecordCount);
    }

    [Fact]
    public void Returns_empty_totals_before_any_record()
    {
        var ledger = new UsageLedger();

        Assert.Equal(UsageTotals.Empty, ledger.GetTotals());
        Assert.Empty(ledger.GetTotalsBy(UsageGrouping.Model));
        Assert.Empty(ledger.GetRecords());
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        var ledger = new UsageLedger();

        Assert.Throws<ArgumentNullException>(() => ledger.Record(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.GetTotalsBy((UsageGrouping)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UsageLedger(0));
    }

    private static UsageRecord NewRecord(
        string model,
        long input = 0,
        long output = 0,
        long cached = 0,
        decimal? cost = null,
        bool estimated = false,
        double latencyMs = 0,
        string? tag = null,
        string? provider = null,
        string operation = "chat") => new()
    {
        Timestamp = Start,
        Operation = operation,
        Provider = provider,
        Model = model,
        InputTokens = input,
        OutputTokens = output,
        CachedInputTokens = cached,
        Cost = cost,
        IsEstimated = estimated,
        Latency = TimeSpan.FromMilliseconds(latencyMs),
        CallerTag = tag,
    };
}
