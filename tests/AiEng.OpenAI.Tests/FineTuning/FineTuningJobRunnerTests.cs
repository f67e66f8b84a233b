using AiEng.FineTuning;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI.Tests;

/// <summary>The runner in <c>AiEng.FineTuning</c>, driven end to end through the OpenAI implementation and the test server.</summary>
public sealed class FineTuningJobRunnerTests
{
    private static readonly FineTuningJobRunnerOptions FastPolls = new() { PollInterval = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public async Task Submits_a_data_set_and_follows_the_job_to_its_model_reporting_each_event_once_in_order()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 2) });
        var runner = new FineTuningJobRunner(FineTuningServer.Client(server), FastPolls);
        var reports = new List<FineTuningJobProgress>();

        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(3), "tickets", new FineTuningJobOptions { Suffix = "tickets", Seed = 5 }, validation: DataSet(1));
        var job = await runner.WaitForCompletionAsync(created.Id, new SynchronousProgress(reports.Add));

        Assert.Equal(FineTuningJobStatus.Succeeded, job.Status);
        Assert.Equal($"ft:gpt-4o-mini:aieng-test:tickets:{created.Id}", job.FineTunedModel);
        Assert.Equal(["tickets.train.jsonl", "tickets.validation.jsonl"], server.Files.Select(f => f.FileName));
        Assert.Equal(3, server.Files[0].Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(server.Files[1].Id, created.ValidationFileId);
        Assert.Equal(
            [FineTuningJobStatus.Queued, FineTuningJobStatus.Running, FineTuningJobStatus.Succeeded],
            reports.Where(r => r.StatusChanged).Select(r => r.Job.Status));
        var messages = reports.SelectMany(r => r.NewEvents).Select(e => e.Message).ToList();
        Assert.Equal(messages.Distinct().Count(), messages.Count);
        Assert.Equal($"Created fine-tuning job: {created.Id}", messages[0]);
        Assert.Equal("The job has successfully completed", messages[^1]);
        Assert.Equal(2, messages.Count(m => m.StartsWith("Step ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failed_job_ends_in_a_FineTuningJobException_with_the_job_id_and_the_providers_error()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Failing("invalid_training_file", "Too few examples.") });
        var runner = new FineTuningJobRunner(FineTuningServer.Client(server), FastPolls);
        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(2), "tickets");

        var error = await Assert.ThrowsAsync<FineTuningJobException>(() => runner.WaitForCompletionAsync(created.Id));

        Assert.Equal(created.Id, error.JobId);
        Assert.Equal(FineTuningJobStatus.Failed, error.Status);
        Assert.Equal("invalid_training_file", error.ErrorCode);
        Assert.Equal("Too few examples.", error.ProviderMessage);
        Assert.Contains(created.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("Too few examples.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_cancelled_elsewhere_ends_in_a_FineTuningJobException_saying_so()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { QueuedPolls = 3 } });
        var client = FineTuningServer.Client(server);
        var runner = new FineTuningJobRunner(client, FastPolls);
        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(2), "tickets");
        var progress = new SynchronousProgress(report =>
        {
            if (report.Job.Status == FineTuningJobStatus.Queued && report.StatusChanged)
            {
                client.CancelJobAsync(report.Job.Id).GetAwaiter().GetResult();
            }
        });

        var error = await Assert.ThrowsAsync<FineTuningJobException>(() => runner.WaitForCompletionAsync(created.Id, progress));

        Assert.Equal(FineTuningJobStatus.Cancelled, error.Status);
        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_a_rate_limited_poll()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 0) });
        var runner = new FineTuningJobRunner(FineTuningServer.Client(server), FastPolls);
        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(2), "tickets");
        server.EnqueueFault(OpenAITestFault.RateLimited(TimeSpan.Zero), OpenAITestServer.FineTuningJobsPath + "/" + created.Id, count: 2);

        var job = await runner.WaitForCompletionAsync(created.Id);

        Assert.Equal(FineTuningJobStatus.Succeeded, job.Status);
        Assert.Equal(0, server.PendingFaultCount);
    }

    [Fact]
    public async Task Stopping_leaves_the_job_running_unless_asked_to_cancel_it()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { QueuedPolls = 1000 } });
        var client = FineTuningServer.Client(server);
        var keep = await new FineTuningJobRunner(client, FastPolls).SubmitAsync("gpt-4o-mini", DataSet(2), "keep");
        var cancel = await new FineTuningJobRunner(client, FastPolls).SubmitAsync("gpt-4o-mini", DataSet(2), "cancel");

        await FollowUntilQueuedThenStopAsync(new FineTuningJobRunner(client, FastPolls), keep.Id);
        await FollowUntilQueuedThenStopAsync(new FineTuningJobRunner(client, new() { PollInterval = TimeSpan.FromMilliseconds(1), CancelJobOnCancellation = true }), cancel.Id);

        Assert.Equal(FineTuningJobStatus.Queued, (await client.GetJobAsync(keep.Id)).Status);
        Assert.Equal(FineTuningJobStatus.Cancelled, (await client.GetJobAsync(cancel.Id)).Status);
    }

    [Fact]
    public async Task Gives_up_after_the_timeout_naming_the_job_which_keeps_running()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { QueuedPolls = 1000 } });
        var client = FineTuningServer.Client(server);
        var runner = new FineTuningJobRunner(client, new() { PollInterval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(5) });
        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(2), "tickets");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => runner.WaitForCompletionAsync(created.Id));

        Assert.Contains(created.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:FineTuning:Jobs:Timeout", error.Message, StringComparison.Ordinal);
        Assert.False((await client.GetJobAsync(created.Id)).IsFinished);
    }

    [Fact]
    public async Task Refuses_an_empty_data_set_before_uploading()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var runner = new FineTuningJobRunner(FineTuningServer.Client(server));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runner.SubmitAsync("gpt-4o-mini", DataSet(0), "tickets"));

        Assert.Contains("tickets.train.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void Rejects_a_poll_interval_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuningJobRunner(new OpenAIFineTuningClient(new global::OpenAI.OpenAIClient("k")), new() { PollInterval = TimeSpan.Zero }));
    }

    [Fact]
    public async Task AddFineTuningJobs_serves_a_runner_on_the_registered_client_with_options_from_configuration()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 0) });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:FineTuning:OpenAI:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:FineTuning:Jobs:PollInterval"] = "00:00:00.001",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAIFineTuning().AddFineTuningJobs().AddFineTuningJobs();
        using var provider = services.BuildServiceProvider();

        var runner = provider.GetRequiredService<FineTuningJobRunner>();
        var created = await runner.SubmitAsync("gpt-4o-mini", DataSet(2), "tickets");
        var job = await runner.WaitForCompletionAsync(created.Id);

        Assert.Equal(FineTuningJobStatus.Succeeded, job.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(1), provider.GetRequiredService<IOptions<FineTuningJobRunnerOptions>>().Value.PollInterval);
    }

    [Fact]
    public void AddFineTuningJobs_without_a_client_says_which_call_adds_one()
    {
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddFineTuningJobs();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<FineTuningJobRunner>());

        Assert.Contains("AddOpenAIFineTuning()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFineTuningJobs_reports_a_zero_poll_interval_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AiEng:FineTuning:Jobs:PollInterval"] = "00:00:00" }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddFineTuningJobs();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FineTuningJobRunnerOptions>>().Value);

        Assert.Contains("AiEng:FineTuning:Jobs:PollInterval", error.Message, StringComparison.Ordinal);
    }

    private static async Task FollowUntilQueuedThenStopAsync(FineTuningJobRunner runner, string jobId)
    {
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var report in runner.FollowAsync(jobId, stop.Token))
            {
                if (report.Job.Status == FineTuningJobStatus.Queued)
                {
                    await stop.CancelAsync();
                }
            }
        });
    }

    private static FineTuningDataSet DataSet(int count) => new(
        [.. Enumerable.Range(0, count).Select(i => new FineTuningExample([new ChatMessage(ChatRole.User, $"Ticket {i}"), new ChatMessage(ChatRole.Assistant, "billing")]))],
        new FineTuningProvenance { Source = "test" });

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so assertions see every report.</summary>
    private sealed class SynchronousProgress(Action<FineTuningJobProgress> report) : IProgress<FineTuningJobProgress>
    {
        public void Report(FineTuningJobProgress value) => report(value);
    }
}
