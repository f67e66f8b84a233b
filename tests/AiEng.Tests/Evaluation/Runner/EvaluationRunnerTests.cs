using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Runner;

public sealed class EvaluationRunnerTests
{
    private static EvaluationDataset Dataset(int count) => new("set", Enumerable.Range(0, count).Select(i =>
        new EvaluationCase($"c{i}", $"q{i}") { Reference = i % 2 == 0 ? $"a{i}" : null }));

    private static EvaluationTarget Echo(Action? onCall = null) => (item, _) =>
    {
        onCall?.Invoke();
        return ValueTask.FromResult(new EvaluationTargetOutput(new ChatResponse(new ChatMessage(ChatRole.Assistant, "a" + item.Input[1..]))));
    };

    [Fact]
    public async Task Evaluates_every_case_in_data_set_order_and_never_exceeds_the_concurrency_bound()
    {
        int active = 0, peak = 0;
        EvaluationTarget target = async (item, token) =>
        {
            int now = Interlocked.Increment(ref active);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref active);
            return new EvaluationTargetOutput(new ChatResponse(new ChatMessage(ChatRole.Assistant, "a" + item.Input[1..])));
        };
        var progress = new List<EvaluationProgress>();
        var runner = new EvaluationRunner([new ExactMatchEvaluator()], new EvaluationRunnerOptions { MaxConcurrency = 3, Progress = new SyncProgress(progress) });

        var run = await runner.RunAsync(Dataset(20), target);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{i}"), run.Cases.Select(c => c.Id));
        Assert.InRange(peak, 1, 3);
        Assert.Equal(20, progress.Count);
        Assert.Equal(new EvaluationProgress(20, 20, 0, 0), progress.MaxBy(p => p.Completed));
    }

    [Fact]
    public async Task A_case_without_a_reference_gets_a_diagnostic_for_reference_metrics_and_still_gets_the_others()
    {
        var runner = new EvaluationRunner([new ExactMatchEvaluator(), new ContainsEvaluator(["a"])]);
        var run = await runner.RunAsync(Dataset(2), Echo());

        var withoutReference = run.Cases[1];
        Assert.Null(withoutReference.GetValue(ExactMatchEvaluator.MetricName));
        Assert.Contains("no reference", withoutReference.Metrics.Single(m => m.Name == ExactMatchEvaluator.MetricName).Diagnostics.Single().Message, StringComparison.Ordinal);
        Assert.Equal(1, withoutReference.GetValue(ContainsEvaluator.MetricName));
        Assert.Equal(1, run.Cases[0].GetValue(ExactMatchEvaluator.MetricName));
    }

    [Fact]
    public async Task An_evaluator_that_throws_becomes_a_diagnostic_and_the_case_is_kept()
    {
        var runner = new EvaluationRunner([new ThrowingEvaluator(), new ContainsEvaluator(["a"])]);
        var run = await runner.RunAsync(Dataset(1), Echo());

        var broken = run.Cases[0].Metrics.Single(m => m.Name == "Broken");
        Assert.Null(broken.Value);
        Assert.Contains("InvalidOperationException: evaluator bug", broken.Diagnostics.Single().Message, StringComparison.Ordinal);
        Assert.Equal(1, run.Cases[0].GetValue(ContainsEvaluator.MetricName));
    }

    [Fact]
    public async Task A_judge_that_times_out_is_retried_then_recorded_as_a_diagnostic_and_the_case_is_kept()
    {
        int judgeCalls = 0;
        var judge = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                Interlocked.Increment(ref judgeCalls);
                throw new TimeoutException("judge did not answer");
            },
        };
        var options = new EvaluationRunnerOptions
        {
            JudgeChatClient = judge,
            ConfigureJudgeResilience = r =>
            {
                r.MaxRetryAttempts = 2;
                r.BaseDelay = TimeSpan.FromMilliseconds(1);
                r.UseJitter = false;
            },
        };
        var runner = new EvaluationRunner([LlmJudgeEvaluator.Relevance(), new ContainsEvaluator(["a"])], options);

        var run = await runner.RunAsync(Dataset(1), Echo());

        Assert.Equal(3, judgeCalls);
        var relevance = run.Cases[0].Metrics.Single(m => m.Name == "Relevance");
        Assert.Null(relevance.Value);
        string message = Assert.Single(relevance.Diagnostics).Message;
        Assert.True(message.Contains("timed out", StringComparison.Ordinal) && message.Contains("after 3 attempts", StringComparison.Ordinal), message);
        Assert.Equal(1, run.Cases[0].GetValue(ContainsEvaluator.MetricName));
    }

    [Fact]
    public async Task A_killed_run_resumes_without_redoing_finished_cases()
    {
        using var temp = new TempDirectory();
        var options = new EvaluationRunnerOptions { OutputDirectory = temp.Path, MaxConcurrency = 1 };
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var first = new EvaluationRunner([new ExactMatchEvaluator()], options);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(Dataset(10), Echo(() =>
        {
            if (++calls == 4)
            {
                cts.Cancel();
            }
        }), cts.Token));
        int persisted = File.ReadAllLines(Path.Combine(temp.Path, EvaluationRunner.CasesFileName)).Length;
        Assert.InRange(persisted, 3, 4);

        // Simulate a crash mid-write: a torn last line must not break the resume.
        await File.AppendAllTextAsync(Path.Combine(temp.Path, EvaluationRunner.CasesFileName), "{\"id\":\"c9\",\"inp");
        int secondCalls = 0;
        var run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(10), Echo(() => secondCalls++));

        Assert.Equal(10 - persisted, secondCalls);
        Assert.Equal(10, run.Cases.Count);
        Assert.All(run.Cases.Where((_, i) => i % 2 == 0), c => Assert.Equal(1, c.GetValue(ExactMatchEvaluator.MetricName)));

        // Everything is finished now: a third run makes no target call.
        int thirdCalls = 0;
        await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(10), Echo(() => thirdCalls++));
        Assert.Equal(0, thirdCalls);
    }

    [Fact]
    public async Task An_answer_cut_short_keeps_its_finish_reason_through_the_cases_file_and_is_listed_in_the_summary()
    {
        using var temp = new TempDirectory();
        var options = new EvaluationRunnerOptions { OutputDirectory = temp.Path, MaxConcurrency = 1 };
        EvaluationTarget target = (item, _) => ValueTask.FromResult(new EvaluationTargetOutput(item.Id switch
        {
            "c0" => new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")) { FinishReason = ChatFinishReason.Length },
            "c1" => new ChatResponse(new ChatMessage(ChatRole.Assistant, "I can't")) { FinishReason = ChatFinishReason.ContentFilter },
            _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "a" + item.Input[1..])) { FinishReason = ChatFinishReason.Stop },
        }));

        var run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(3), target);
        var resumed = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(3), (_, _) => throw new InvalidOperationException("every case is finished"));

        Assert.Equal(["length", "content_filter", "stop"], run.Cases.Select(static c => c.FinishReason));
        Assert.Equal(run.Cases.Select(static c => c.FinishReason), resumed.Cases.Select(static c => c.FinishReason));
        Assert.Equal(0, run.Cases[0].GetValue(ExactMatchEvaluator.MetricName));
        string summary = EvaluationReports.ToMarkdown(resumed);
        Assert.Contains("## Answers cut short\n\n2 answers did not finish", summary, StringComparison.Ordinal);
        Assert.Contains("- `c0`: cut at the output-token limit (finish reason `length`)", summary, StringComparison.Ordinal);
        Assert.Contains("- `c1`: stopped by the provider's content filter", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("`c2`", summary, StringComparison.Ordinal);
        Assert.Contains("answer cut short (length)", EvaluationReports.ToHtml(resumed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_target_is_recorded_and_retried_on_resume()
    {
        using var temp = new TempDirectory();
        var options = new EvaluationRunnerOptions { OutputDirectory = temp.Path };
        var run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(2), (item, _) =>
            item.Id == "c1" ? throw new HttpRequestException("down") : Echo()(item, default));
        Assert.Equal("HttpRequestException: down", run.Cases[1].Error);

        int calls = 0;
        run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(Dataset(2), Echo(() => calls++));
        Assert.Equal(1, calls);
        Assert.Null(run.Cases[1].Error);
    }

    [Fact]
    public async Task An_unwritable_output_directory_fails_before_any_target_call()
    {
        using var temp = new TempDirectory();
        string file = temp.WriteText("occupied", "a file, not a directory");
        int calls = 0;
        var runner = new EvaluationRunner([new ExactMatchEvaluator()], new EvaluationRunnerOptions { OutputDirectory = file });
        await Assert.ThrowsAnyAsync<IOException>(() => runner.RunAsync(Dataset(3), Echo(() => calls++)));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Rejects_invalid_options_and_an_empty_evaluator_list()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationRunner([new ExactMatchEvaluator()], new EvaluationRunnerOptions { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentException>(() => new EvaluationRunner([]));
    }

    [Fact]
    public async Task Reads_each_cases_model_calls_and_cost_from_the_usage_ledger()
    {
        var ledger = new AiEng.Inference.UsageLedger();
        var model = TestChatClient.Replying("a0", new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0 });
        using var tracked = model.AsBuilder()
            .UseUsageTracking(ledger, options => options.Prices["test-model"] = new AiEng.Inference.ModelPrice { InputPerMillion = 2m, OutputPerMillion = 4m })
            .Build();
        var runner = new EvaluationRunner([new ExactMatchEvaluator()], new EvaluationRunnerOptions { UsageLedger = ledger, RunName = "costs" });

        var run = await runner.RunAsync(Dataset(2), EvaluationTargets.FromChatClient(tracked));

        Assert.All(run.Cases, c => Assert.Equal((1L, 2m), (c.ModelCalls!.Value, c.Cost!.Value)));
        Assert.Equal(1_000_000, run.Cases[0].InputTokens);
        Assert.Contains(ledger.GetRecords(), r => r.CallerTag == "eval/costs/c1");
        Assert.Contains("cost 4", EvaluationReports.ToMarkdown(run), StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class SyncProgress(List<EvaluationProgress> sink) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => sink.Add(value);
    }

    private sealed class ThrowingEvaluator : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames { get; } = ["Broken"];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null, IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("evaluator bug");
    }
}
