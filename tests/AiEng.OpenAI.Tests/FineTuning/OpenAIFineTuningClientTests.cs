using AiEng.FineTuning;
using AiEng.Testing;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIFineTuningClientTests
{
    [Fact]
    public async Task Uploads_a_training_file_with_purpose_fine_tune()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);

        var file = await client.UploadFileAsync(FineTuningServer.Content(), "tickets.train.jsonl");

        var stored = Assert.Single(server.Files);
        Assert.Equal(stored.Id, file.Id);
        Assert.Equal("tickets.train.jsonl", file.FileName);
        Assert.Equal("fine-tune", stored.Purpose);
        Assert.Equal(FineTuningServer.Jsonl, stored.Text);
        Assert.Equal(stored.Content.Length, file.SizeInBytes);
    }

    [Fact]
    public async Task A_malformed_upload_is_a_FineTuningJobException_naming_the_file_with_the_providers_message()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);

        var error = await Assert.ThrowsAsync<FineTuningJobException>(() =>
            client.UploadFileAsync(FineTuningServer.Content(FineTuningServer.Jsonl + "{\"prompt\":\"x\"}\n"), "bad.jsonl"));

        Assert.Equal("bad.jsonl", error.FileName);
        Assert.Equal("invalid_file_format", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("Line 3", error.ProviderMessage, StringComparison.Ordinal);
        Assert.Contains("'bad.jsonl'", error.Message, StringComparison.Ordinal);
        Assert.Contains("FineTuningValidator", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Files);
    }

    [Fact]
    public async Task Creates_a_job_with_the_hyperparameters_seed_and_suffix_and_reads_them_back()
    {
        OpenAITestFineTuningJobRequest? received = null;
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            FineTuningScript = request =>
            {
                received = request;
                return new OpenAITestFineTuningScript();
            },
        });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var options = new FineTuningJobOptions
        {
            Hyperparameters = new FineTuningHyperparameters { EpochCount = 4, BatchSize = 8, LearningRateMultiplier = 0.3 },
            Seed = 11,
            Suffix = "tickets",
        };

        var job = await client.CreateJobAsync("gpt-4o-mini", file.Id, options);

        Assert.NotNull(received);
        Assert.Equal((4, 8, 0.3, 11, "tickets"), (received.EpochCount, received.BatchSize, received.LearningRateMultiplier, received.Seed, received.Suffix));
        Assert.Equal(FineTuningJobStatus.ValidatingFiles, job.Status);
        Assert.Equal("validating_files", job.RawStatus);
        Assert.Equal("gpt-4o-mini", job.BaseModel);
        Assert.Equal(file.Id, job.TrainingFileId);
        Assert.Equal(4, job.Hyperparameters?.EpochCount);
        Assert.Equal(8, job.Hyperparameters?.BatchSize);
        Assert.Equal(0.3, job.Hyperparameters?.LearningRateMultiplier);
        Assert.Equal(11, job.Seed);
        Assert.Equal("tickets", job.Suffix);
        Assert.False(job.IsFinished);
        Assert.Null(job.FineTunedModel);
    }

    [Fact]
    public async Task Leaves_unset_hyperparameters_to_the_provider()
    {
        OpenAITestFineTuningJobRequest? received = null;
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = request => { received = request; return new OpenAITestFineTuningScript(); } });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");

        await client.CreateJobAsync("gpt-4o-mini", file.Id, new FineTuningJobOptions { Hyperparameters = new FineTuningHyperparameters { EpochCount = 2 } });

        Assert.NotNull(received);
        Assert.Equal(2, received.EpochCount);
        Assert.Null(received.BatchSize);
        Assert.Null(received.LearningRateMultiplier);
    }

    [Fact]
    public async Task Rejects_invalid_hyperparameters_before_sending_anything()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CreateJobAsync("gpt-4o-mini", "file-1", new FineTuningJobOptions { Hyperparameters = new FineTuningHyperparameters { EpochCount = 0 } }));

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Follows_a_job_to_success_and_reports_the_fine_tuned_model()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 1) });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await client.CreateJobAsync("gpt-4o-mini", file.Id, new FineTuningJobOptions { Suffix = "tickets" });

        var statuses = new List<FineTuningJobStatus>();
        FineTuningJob job;
        do
        {
            job = await client.GetJobAsync(created.Id);
            statuses.Add(job.Status);
        }
        while (!job.IsFinished);

        Assert.Equal([FineTuningJobStatus.Queued, FineTuningJobStatus.Running, FineTuningJobStatus.Succeeded], statuses);
        Assert.Equal($"ft:gpt-4o-mini:aieng-test:tickets:{created.Id}", job.FineTunedModel);
        Assert.Equal(1000, job.TrainedTokens);
        Assert.NotNull(job.FinishedAt);
        Assert.Null(job.Error);
    }

    [Fact]
    public async Task A_failed_job_carries_the_providers_error_code_and_message()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Failing("invalid_training_file", "The file has 2 examples; at least 10 are required.", runningPolls: 0) });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await client.CreateJobAsync("gpt-4o-mini", file.Id);

        await client.GetJobAsync(created.Id);
        var job = await client.GetJobAsync(created.Id);

        Assert.Equal(FineTuningJobStatus.Failed, job.Status);
        Assert.True(job.IsFinished);
        Assert.Equal("invalid_training_file", job.Error?.Code);
        Assert.Equal("The file has 2 examples; at least 10 are required.", job.Error?.Message);
        Assert.Null(job.FineTunedModel);
    }

    [Fact]
    public async Task Cancels_a_job_and_refuses_with_the_job_id_when_it_has_finished()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 0) });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await client.CreateJobAsync("gpt-4o-mini", file.Id);

        var cancelled = await client.CancelJobAsync(created.Id);
        var error = await Assert.ThrowsAsync<FineTuningJobException>(() => client.CancelJobAsync(created.Id));

        Assert.Equal(FineTuningJobStatus.Cancelled, cancelled.Status);
        Assert.Equal(FineTuningJobStatus.Cancelled, (await client.GetJobAsync(created.Id)).Status);
        Assert.Equal(created.Id, error.JobId);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("already cancelled", error.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancels_a_job_it_has_not_seen_by_fetching_it_first()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { QueuedPolls = 5 } });
        var creator = FineTuningServer.Client(server);
        var file = await creator.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await creator.CreateJobAsync("gpt-4o-mini", file.Id);

        var cancelled = await FineTuningServer.Client(server).CancelJobAsync(created.Id);

        Assert.Equal(FineTuningJobStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task Keeps_a_bounded_number_of_job_objects_and_fetches_a_dropped_one_again_to_cancel_it()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { QueuedPolls = 1000 } });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var first = await client.CreateJobAsync("gpt-4o-mini", file.Id);

        int peak = 0;
        for (int i = 0; i < OpenAIFineTuningClient.MaxRememberedJobs + 10; i++)
        {
            await client.CreateJobAsync("gpt-4o-mini", file.Id);
            peak = Math.Max(peak, ((OpenAIFineTuningClient)client).RememberedJobs);
        }

        var cancelled = await client.CancelJobAsync(first.Id);

        Assert.Equal(OpenAIFineTuningClient.MaxRememberedJobs, peak);
        Assert.InRange(((OpenAIFineTuningClient)client).RememberedJobs, 1, OpenAIFineTuningClient.MaxRememberedJobs);
        Assert.Equal(FineTuningJobStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task Lists_events_newest_first_and_checkpoints_with_their_metrics()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 2) });
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var created = await client.CreateJobAsync("gpt-4o-mini", file.Id);
        for (var i = 0; i < 4; i++)
        {
            await client.GetJobAsync(created.Id);
        }

        var events = await ToListAsync(client.ListEventsAsync(created.Id));
        var checkpoints = await ToListAsync(client.ListCheckpointsAsync(created.Id));

        Assert.Equal("The job has successfully completed", events[0].Message);
        Assert.Equal($"Created fine-tuning job: {created.Id}", events[^1].Message);
        var metrics = events.First(e => e.Kind == "metrics");
        Assert.Equal(2, metrics.Data?.GetProperty("step").GetInt32());
        Assert.Equal([2, 1], checkpoints.Select(c => c.StepNumber));
        Assert.All(checkpoints, c => Assert.Equal(created.Id, c.JobId));
        Assert.EndsWith(":ckpt-step-2", checkpoints[0].Model, StringComparison.Ordinal);
        Assert.True(checkpoints[0].TrainingLoss < checkpoints[1].TrainingLoss);
        Assert.NotNull(checkpoints[0].ValidationLoss);
    }

    [Fact]
    public async Task Lists_jobs_newest_first()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);
        var file = await client.UploadFileAsync(FineTuningServer.Content(), "train.jsonl");
        var first = await client.CreateJobAsync("gpt-4o-mini", file.Id);
        var second = await client.CreateJobAsync("gpt-4o-mini", file.Id);

        var jobs = await ToListAsync(client.ListJobsAsync());

        Assert.Equal([second.Id, first.Id], jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task An_unknown_job_or_file_is_a_FineTuningJobException_with_the_providers_code()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);

        var unknownJob = await Assert.ThrowsAsync<FineTuningJobException>(() => client.GetJobAsync("ftjob-missing"));
        var unknownFile = await Assert.ThrowsAsync<FineTuningJobException>(() => client.CreateJobAsync("gpt-4o-mini", "file-missing"));

        Assert.Equal("ftjob-missing", unknownJob.JobId);
        Assert.Equal(404, unknownJob.StatusCode);
        Assert.Equal("fine_tune_not_found", unknownJob.ErrorCode);
        Assert.Equal("invalid_file_id", unknownFile.ErrorCode);
        Assert.Contains("file-missing", unknownFile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limit_stays_the_clients_transient_exception_for_the_runners_retries()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);
        server.EnqueueFault(OpenAITestFault.RateLimited(TimeSpan.FromSeconds(1)));

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.GetJobAsync("ftjob-any"));

        Assert.Equal(429, error.Status);
        Assert.True(AiEng.Inference.ModelFailures.IsTransient(error));
    }

    [Fact]
    public async Task Checks_its_arguments()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = FineTuningServer.Client(server);

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.UploadFileAsync(null!, "a.jsonl"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.UploadFileAsync(new MemoryStream(), " "));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateJobAsync("", "file-1"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetJobAsync(" "));
        Assert.Equal(0, server.RequestCount);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
