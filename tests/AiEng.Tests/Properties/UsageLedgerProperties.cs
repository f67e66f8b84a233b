using AiEng.Inference;
using AiEng.Testing;
using CsCheck;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Properties;

/// <summary>
/// Properties of the usage ledger and budgets under concurrency: totals equal the sum of the records however the records
/// interleave, and concurrent callers overshoot a budget by no more than the calls in flight.
/// </summary>
public sealed class UsageLedgerProperties
{
    private static readonly Gen<UsageRecord> Record = Gen.Select(
        Gen.Int[0, 3],
        Gen.Int[0, 2],
        Gen.Long[0, 5_000],
        Gen.Long[0, 2_000],
        Gen.Int[-1, 1_000],
        Gen.Bool,
        (model, tag, input, output, cents, streaming) => new UsageRecord
        {
            Timestamp = DateTimeOffset.UnixEpoch,
            Operation = model == 3 ? "embeddings" : "chat",
            Model = $"model-{model}",
            CallerTag = tag == 0 ? null : $"tag-{tag}",
            InputTokens = input,
            OutputTokens = output,
            Cost = cents < 0 ? null : cents / 100m,
            IsEstimated = cents % 7 == 0,
            IsStreaming = streaming,
        });

    [Fact]
    public void Totals_overall_and_by_grouping_equal_the_sum_of_records_written_concurrently()
    {
        Gen.Select(Record.Array[0, 400], Gen.Int[1, 8], Gen.Int[1, 2_000]).Sample(
            (records, writers, maxRecords) =>
            {
                var ledger = new UsageLedger(maxRecords);
                Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, writer =>
                {
                    for (int i = writer; i < records.Length; i += writers)
                    {
                        ledger.Record(records[i]);
                    }
                });

                AssertTotals(records, ledger.GetTotals());
                foreach (var (key, totals) in ledger.GetTotalsBy(UsageGrouping.Model))
                {
                    AssertTotals([.. records.Where(record => record.Model == key)], totals);
                }

                foreach (var (key, totals) in ledger.GetTotalsBy(UsageGrouping.CallerTag))
                {
                    AssertTotals([.. records.Where(record => (record.CallerTag ?? string.Empty) == key)], totals);
                }

                Assert.Equal(records.Length, ledger.RecordCount);
                Assert.Equal(Math.Min(records.Length, maxRecords), ledger.GetRecords().Count);
            },
            iter: PropertyGens.Iterations);
    }

    [Fact]
    public async Task Concurrent_callers_overshoot_a_token_budget_by_at_most_the_calls_in_flight()
    {
        await Gen.Select(Gen.Int[1, 8], Gen.Int[1, 40], Gen.Long[50, 2_000]).SampleAsync(
            async (callers, outputTokens, budget) =>
            {
                var ledger = new UsageLedger();
                var options = new UsageTrackingOptions();
                options.Budgets["budget"] = new UsageBudget { MaxTokens = budget };
                var inner = new TestChatClient
                {
                    GetResponseAsyncCallback = async (_, _, ct) =>
                    {
                        await Task.Yield();
                        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 9, OutputTokenCount = outputTokens } };
                    },
                };
                using var client = new UsageTrackingChatClient(inner, ledger, options);
                var chatOptions = new ChatOptions { MaxOutputTokens = outputTokens };

                int[] calls = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
                {
                    int made = 0;
                    while (true)
                    {
                        try
                        {
                            await client.GetResponseAsync("hello world", chatOptions);
                            made++;
                        }
                        catch (BudgetExceededException)
                        {
                            return made;
                        }
                    }
                })));

                long callTokens = 9 + outputTokens;
                long spent = ledger.GetTotals().TotalTokens;
                Assert.Equal(calls.Sum() * callTokens, spent);
                Assert.InRange(spent, Math.Max(0, budget - callTokens + 1), budget + ((callers - 1) * callTokens));
            },
            iter: PropertyGens.Iterations / 4);
    }

    private static void AssertTotals(UsageRecord[] records, UsageTotals totals)
    {
        Assert.Equal(records.Length, totals.Calls);
        Assert.Equal(records.Sum(record => record.InputTokens), totals.InputTokens);
        Assert.Equal(records.Sum(record => record.OutputTokens), totals.OutputTokens);
        Assert.Equal(records.Sum(record => record.Cost ?? 0), totals.Cost);
        Assert.Equal(records.Count(record => record.Cost is null), totals.UnpricedCalls);
        Assert.Equal(records.Count(record => record.IsEstimated), totals.EstimatedCalls);
    }
}
