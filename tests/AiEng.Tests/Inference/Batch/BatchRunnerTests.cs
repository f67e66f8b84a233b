using System.Collections.Concurrent;
using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Batch;

public sealed class BatchRunnerTests
{
    private static BatchItem<int>[] Items(int count) => [.. Enumerable.Range(0, count).Select(i => new BatchItem<int>("item-" + i, i))];

    [Fact]
    public async Task Returns_results_in_input_order_whatever_order_items_finish_in()
    {
        const int Count = 8;
        var gates = Enumerable.Range(0, Count).Select(_ => new TaskCompletionSource()).ToArray();
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = Count });

        var run = runner.RunAsync(Items(Count), async (i, token) =>
        {
            await gates[i].Task.WaitAsync(token);
            return i * 10;
        });

        // Finish them last to first.
        for (int i = Count - 1; i >= 0; i--)
        {
            gates[i].SetResult();
        }

        var result = await run;
        Assert.Equal(Enumerable.Range(0, Count).Select(i => i * 10), result.Items.Select(item => item.Value));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => "item-" + i), result.Items.Select(item => item.Id));
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task Never_runs_more_items_at_once_than_MaxConcurrency_and_uses_all_of_it()
    {
        int inFlight = 0;
        int most = 0;
        var release = new TaskCompletionSource();
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 3 });

        var run = runner.RunAsync(Items(12), async (i, token) =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            if (now == 3)
            {
                release.TrySetResult();
            }

            await release.Task.WaitAsync(token);
            Interlocked.Decrement(ref inFlight);
            return i;
        });

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, most);
        Assert.Equal(12, result.Succeeded);
    }

    [Fact]
    public async Task Reports_a_failed_item_and_goes_on()
    {
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 2 });

        var result = await runner.RunAsync(Items(5), (i, _) => i == 2 ? throw new InvalidOperationException("bad row") : ValueTask.FromResult(i));

        Assert.Equal(4, result.Succeeded);
        Assert.Equal(1, result.Failed);
        var failed = result.Items[2];
        Assert.Equal(BatchItemStatus.Failed, failed.Status);
        Assert.Equal("InvalidOperationException: bad row", failed.Error);
        Assert.Equal(4, result.Items[4].Value);
    }

    [Fact]
    public async Task Stops_and_rethrows_the_first_failure_when_failures_stop_the_run()
    {
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 1, ContinueOnItemFailure = false });
        int calls = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(Items(5), (i, _) =>
        {
            Interlocked.Increment(ref calls);
            return i == 1 ? throw new InvalidOperationException("bad row") : ValueTask.FromResult(i);
        }));

        Assert.Equal("bad row", error.Message);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task An_exhausted_budget_stops_new_items_and_says_which_did_not_run()
    {
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 1 });
        int calls = 0;

        var result = await runner.RunAsync(Items(6), (i, _) =>
        {
            Interlocked.Increment(ref calls);
            return i >= 2 ? throw new BudgetExceededException("daily budget of $1 reached") : ValueTask.FromResult(i);
        });

        Assert.Equal(3, calls);
        Assert.Equal(2, result.Succeeded);
        Assert.Equal(4, result.NotRun);
        Assert.Equal(0, result.Failed);
        Assert.Equal([BatchItemStatus.Succeeded, BatchItemStatus.Succeeded, BatchItemStatus.NotRun, BatchItemStatus.NotRun, BatchItemStatus.NotRun, BatchItemStatus.NotRun], result.Items.Select(i => i.Status));
        Assert.Equal("daily budget of $1 reached", result.BudgetExceeded?.Message);
        Assert.False(result.IsComplete);
    }

    [Fact]
    public async Task A_run_cancelled_midway_resumes_from_its_results_file_without_repeating_finished_items()
    {
        using var directory = new TempDirectory();
        var options = new BatchRunnerOptions { MaxConcurrency = 1, ResultsPath = directory.Combine("results.jsonl") };
        var calls = new ConcurrentDictionary<int, int>();
        using (var cancellation = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BatchRunner(options).RunAsync(Items(10), async (i, token) =>
            {
                if (i == 6)
                {
                    await cancellation.CancelAsync();
                    token.ThrowIfCancellationRequested();
                }

                calls.AddOrUpdate(i, 1, (_, n) => n + 1);
                return "answer " + i;
            }, cancellation.Token));
        }

        var result = await new BatchRunner(options).RunAsync(Items(10), (i, _) =>
        {
            calls.AddOrUpdate(i, 1, (_, n) => n + 1);
            return ValueTask.FromResult("answer " + i);
        });

        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(1, calls[i]));
        Assert.Equal(6, result.Resumed);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "answer " + i), result.Items.Select(item => item.Value));
        Assert.All(result.Items.Take(6), item => Assert.True(item.Resumed));
    }

    [Fact]
    public async Task Random_interruptions_never_make_an_item_succeed_twice()
    {
        using var directory = new TempDirectory();
        var options = new BatchRunnerOptions { MaxConcurrency = 4, ResultsPath = directory.Combine("results.jsonl") };
        var random = new Random(20261206);
        var successes = new ConcurrentDictionary<int, int>();
        const int Count = 40;
        BatchRunResult<int>? result = null;
        for (int attempt = 0; attempt < 20 && result is null; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            int stopAfter = random.Next(1, 12);
            int started = 0;
            try
            {
                result = await new BatchRunner(options).RunAsync(Items(Count), async (i, token) =>
                {
                    if (Interlocked.Increment(ref started) == stopAfter)
                    {
                        await cancellation.CancelAsync();
                    }

                    await Task.Yield();
                    token.ThrowIfCancellationRequested();
                    successes.AddOrUpdate(i, 1, (_, n) => n + 1);
                    return i;
                }, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.NotNull(result);
        Assert.True(result.IsComplete);
        Assert.Equal(Enumerable.Range(0, Count), result.Items.Select(item => item.Value));
        Assert.All(Enumerable.Range(0, Count), i => Assert.Equal(1, successes[i]));
    }

    [Fact]
    public async Task Tries_failed_items_again_on_resume()
    {
        using var directory = new TempDirectory();
        var options = new BatchRunnerOptions { ResultsPath = directory.Combine("results.jsonl") };
        await new BatchRunner(options).RunAsync(Items(3), (i, _) => i == 1 ? throw new TimeoutException("slow") : ValueTask.FromResult(i));
        var again = new List<int>();

        var result = await new BatchRunner(options).RunAsync(Items(3), (i, _) =>
        {
            lock (again)
            {
                again.Add(i);
            }

            return ValueTask.FromResult(i);
        });

        Assert.Equal([1], again);
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task Ignores_a_torn_last_line_and_keeps_the_file_readable()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("results.jsonl", "{\"id\":\"item-0\",\"status\":\"succeeded\",\"value\":0}\n{\"id\":\"item-1\",\"sta");
        var options = new BatchRunnerOptions { ResultsPath = path };
        var processed = new ConcurrentBag<int>();

        await new BatchRunner(options).RunAsync(Items(3), (i, _) =>
        {
            processed.Add(i);
            return ValueTask.FromResult(i);
        });
        var reread = await new BatchRunner(options).RunAsync<int, int>(Items(3), (i, _) => throw new InvalidOperationException("all finished already"));

        Assert.Equal([1, 2], processed.Order());
        Assert.Equal(3, reread.Resumed);
        Assert.Equal([0, 1, 2], reread.Items.Select(item => item.Value));
    }

    [Fact]
    public async Task Names_the_file_and_line_of_a_line_that_is_not_a_batch_result()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("results.jsonl", "{\"id\":\"item-0\",\"status\":\"succeeded\",\"value\":0}\n{\"case\":\"q1\",\"score\":0.5}\n{\"id\":\"item-1\",\"status\":\"succeeded\",\"value\":1}\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new BatchRunner(new BatchRunnerOptions { ResultsPath = path }).RunAsync(Items(2), (i, _) => ValueTask.FromResult(i)));

        Assert.Contains(path + ", line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_duplicate_ids_naming_the_id_and_both_positions()
    {
        BatchItem<int>[] items = [new("a", 1), new("b", 2), new("a", 3)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new BatchRunner().RunAsync(items, (i, _) => ValueTask.FromResult(i)));

        Assert.Contains("Items 0 and 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_empty_id() => Assert.Throws<ArgumentException>(() => new BatchItem<int>(" ", 1));

    [Fact]
    public async Task An_empty_batch_is_an_empty_result()
    {
        var result = await new BatchRunner().RunAsync<int, int>([], (_, _) => throw new InvalidOperationException("never called"));

        Assert.Empty(result.Items);
        Assert.True(result.IsComplete);
    }

    [Fact]
    public void Rejects_a_concurrency_out_of_range() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 0 }));

    [Fact]
    public async Task Reports_progress_with_counts_and_an_estimate_of_the_time_left()
    {
        var time = new FakeTimeProvider();
        var reports = new List<BatchProgress>();
        var progress = new SynchronousProgress(reports);
        var runner = new BatchRunner(new BatchRunnerOptions { MaxConcurrency = 1, Progress = progress }, time);

        await runner.RunAsync(Items(4), (i, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(2));
            return i == 3 ? throw new InvalidOperationException("x") : ValueTask.FromResult(i);
        });

        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Completed));
        Assert.Equal(1, reports[^1].Failed);
        Assert.Equal(TimeSpan.FromSeconds(6), reports[0].EstimatedRemaining);
        Assert.Equal("4/4 done, 1 failed, 0 resumed, 00:00:08 elapsed, ~00:00:00 left", reports[^1].ToString());
    }

    [Fact]
    public async Task RunChatAsync_sends_one_call_per_prompt_and_returns_the_answers_in_order()
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "label:" + messages.Last().Text))),
        };

        var result = await new BatchRunner().RunChatAsync(client, [new("r1", "apple"), new("r2", "pear")]);

        Assert.Equal(["label:apple", "label:pear"], result.Items.Select(item => item.Value));
        Assert.Equal(2, client.CallCount);
    }

    [Fact]
    public async Task RunChatAsync_fails_an_answer_with_no_text_naming_the_finish_reason_and_asks_again_on_resume()
    {
        using var directory = new TempDirectory();
        var options = new BatchRunnerOptions { ResultsPath = directory.Combine("results.jsonl") };
        var empty = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(messages.Last().Text == "apple"
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [])) { ModelId = "m", FinishReason = ChatFinishReason.ContentFilter }
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, " ")) { ModelId = "m", FinishReason = ChatFinishReason.Stop }),
        };

        var first = await new BatchRunner(options).RunChatAsync(empty, [new("r1", "apple"), new("r2", "pear")]);

        Assert.Equal([BatchItemStatus.Failed, BatchItemStatus.Failed], first.Items.Select(item => item.Status));
        Assert.StartsWith("ModelRequestException: The model 'm' returned an answer with no text (finish reason: content_filter).", first.Items[0].Error, StringComparison.Ordinal);
        Assert.StartsWith("ModelRequestException: The model 'm' returned an answer with no text (finish reason: stop).", first.Items[1].Error, StringComparison.Ordinal);

        var model = new TestChatClient { GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "label:" + messages.Last().Text))) };
        var resumed = await new BatchRunner(options).RunChatAsync(model, [new("r1", "apple"), new("r2", "pear")]);

        Assert.Equal(["label:apple", "label:pear"], resumed.Items.Select(item => item.Value));
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task RunEmbeddingsAsync_fails_an_empty_vector()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => text.Length == 1 ? [] : [text.Length]);

        var result = await new BatchRunner().RunEmbeddingsAsync(generator, [new("a", "x"), new("b", "xyz")]);

        Assert.Equal(BatchItemStatus.Failed, result.Items[0].Status);
        Assert.StartsWith("ModelRequestException: The embedding generator returned an empty vector.", result.Items[0].Error, StringComparison.Ordinal);
        Assert.Equal([3f], result.Items[1].Value!);
    }

    [Fact]
    public async Task RunEmbeddingsAsync_fails_a_vector_holding_NaN_or_an_infinity_so_that_a_resumed_run_embeds_it_again()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => text switch { "x" => [1f, float.NaN], "y" => [float.PositiveInfinity, 1f], _ => [1f, 2f] });

        var result = await new BatchRunner().RunEmbeddingsAsync(generator, [new("a", "x"), new("b", "y"), new("c", "z")]);

        Assert.Equal([BatchItemStatus.Failed, BatchItemStatus.Failed, BatchItemStatus.Succeeded], result.Items.Select(item => item.Status));
        Assert.StartsWith("ModelRequestException: The embedding generator returned a vector holding NaN (at position 1 of 2).", result.Items[0].Error, StringComparison.Ordinal);
        Assert.StartsWith("ModelRequestException: The embedding generator returned a vector holding Infinity (at position 0 of 2).", result.Items[1].Error, StringComparison.Ordinal);
        Assert.Equal([1f, 2f], result.Items[2].Value!);
    }

    [Fact]
    public async Task RunEmbeddingsAsync_returns_one_vector_per_text_in_order()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => [text.Length]);

        var result = await new BatchRunner().RunEmbeddingsAsync(generator, [new("a", "x"), new("b", "xyz")]);

        Assert.Equal([1f, 3f], result.Items.Select(item => item.Value![0]));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed class SynchronousProgress(List<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => reports.Add(value);
    }
}
