#pragma warning disable OPENAI001 // The OpenAI client's fine-tuning API is experimental.

using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI.Files;
using OpenAI.FineTuning;

namespace AiEng.Testing.Tests;

public sealed class OpenAITestServerFineTuningTests
{
    private const string Jsonl =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n" +
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Bye\"},{\"role\":\"assistant\",\"content\":\"Goodbye\"}]}\n";

    [Fact]
    public async Task Keeps_a_fine_tuning_upload_and_describes_it_as_OpenAI_does()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var files = OpenAIClients.Create(server).GetOpenAIFileClient();

        OpenAIFile file = await files.UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune);

        Assert.StartsWith("file-", file.Id, StringComparison.Ordinal);
        Assert.Equal("train.jsonl", file.Filename);
        Assert.Equal(FilePurpose.FineTune, file.Purpose);
        Assert.Equal(Encoding.UTF8.GetByteCount(Jsonl), file.SizeInBytes);
        var stored = Assert.Single(server.Files);
        Assert.Equal(file.Id, stored.Id);
        Assert.Equal(Jsonl, stored.Text);
        OpenAIFile fetched = await files.GetFileAsync(file.Id);
        Assert.Equal("train.jsonl", fetched.Filename);
    }

    [Fact]
    public async Task Rejects_a_malformed_fine_tuning_upload_naming_the_line()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var files = OpenAIClients.Create(server).GetOpenAIFileClient();
        var malformed = Jsonl + "{\"prompt\":\"old format\",\"completion\":\"x\"}\n";

        var error = await Assert.ThrowsAsync<ClientResultException>(() => files.UploadFileAsync(BinaryData.FromString(malformed), "bad.jsonl", FileUploadPurpose.FineTune));

        Assert.Equal(400, error.Status);
        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_file_format", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Files);
    }

    [Fact]
    public async Task Rejects_a_fine_tuning_upload_that_is_not_json()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var files = OpenAIClients.Create(server).GetOpenAIFileClient();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => files.UploadFileAsync(BinaryData.FromString("not json\n"), "bad.jsonl", FileUploadPurpose.FineTune));

        Assert.Contains("Line 1 is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_any_upload_when_the_format_check_is_off()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { RejectMalformedFineTuningFiles = false });
        var files = OpenAIClients.Create(server).GetOpenAIFileClient();

        OpenAIFile file = await files.UploadFileAsync(BinaryData.FromString("not json\n"), "raw.jsonl", FileUploadPurpose.FineTune);

        Assert.Equal("not json\n", Assert.Single(server.Files).Text);
        Assert.Equal("raw.jsonl", file.Filename);
    }

    [Fact]
    public async Task Moves_a_job_from_validating_through_queued_and_running_to_succeeded_one_poll_at_a_time()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => new OpenAITestFineTuningScript { ValidatingPolls = 1, QueuedPolls = 1, RunningPolls = 2 } });
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var fineTuning = client.GetFineTuningClient();

        var job = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false, new FineTuningOptions { Suffix = "tickets", Seed = 7 });
        var statuses = new List<string> { job.Status.ToString() };
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await fineTuning.GetJobAsync(job.JobId)).Status.ToString());
        }

        Assert.Equal(["validating_files", "validating_files", "queued", "running", "running", "succeeded"], statuses);
        using var finished = JsonDocument.Parse((await fineTuning.GetJobAsync(job.JobId)).GetRawResponse().Content);
        Assert.Equal($"ft:gpt-4o-mini:aieng-test:tickets:{job.JobId}", finished.RootElement.GetProperty("fine_tuned_model").GetString());
        Assert.Equal(1000, finished.RootElement.GetProperty("trained_tokens").GetInt32());
        Assert.Equal(7, finished.RootElement.GetProperty("seed").GetInt32());
    }

    [Fact]
    public async Task Passes_the_hyperparameters_the_client_sent_to_the_script_and_reports_them()
    {
        OpenAITestFineTuningJobRequest? received = null;
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            FineTuningScript = request =>
            {
                received = request;
                return OpenAITestFineTuningScript.Succeeding();
            },
        });
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var options = new FineTuningOptions
        {
            TrainingMethod = FineTuningTrainingMethod.CreateSupervised(
                HyperparameterBatchSize.CreateSize(4), HyperparameterEpochCount.CreateEpochCount(2), HyperparameterLearningRate.CreateMultiplier(0.5)),
        };

        var job = await client.GetFineTuningClient().FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false, options);

        Assert.NotNull(received);
        Assert.Equal("gpt-4o-mini", received.Model);
        Assert.Equal(fileId, received.TrainingFileId);
        Assert.Equal(2, received.EpochCount);
        Assert.Equal(4, received.BatchSize);
        Assert.Equal(0.5, received.LearningRateMultiplier);
        using var created = JsonDocument.Parse(job.GetRawResponse().Content);
        var reported = created.RootElement.GetProperty("method").GetProperty("supervised").GetProperty("hyperparameters");
        Assert.Equal(2, reported.GetProperty("n_epochs").GetInt32());
        Assert.Equal(4, reported.GetProperty("batch_size").GetInt32());
    }

    [Fact]
    public async Task Fails_a_scripted_job_with_the_scripted_error()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Failing("invalid_training_file", "Too few examples.", runningPolls: 0) });
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var fineTuning = client.GetFineTuningClient();
        var job = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);

        await fineTuning.GetJobAsync(job.JobId);
        var failed = await fineTuning.GetJobAsync(job.JobId);

        Assert.Equal(FineTuningStatus.Failed, failed.Status);
        using var document = JsonDocument.Parse(failed.GetRawResponse().Content);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("invalid_training_file", error.GetProperty("code").GetString());
        Assert.Equal("Too few examples.", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("fine_tuned_model").ValueKind);
    }

    [Fact]
    public async Task Cancels_a_running_job_and_refuses_to_cancel_a_finished_one()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 0) });
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var fineTuning = client.GetFineTuningClient();
        var running = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);
        var done = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);
        await fineTuning.GetJobAsync(done.JobId);
        await fineTuning.GetJobAsync(done.JobId);

        await running.CancelAndUpdateAsync();
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => done.CancelAndUpdateAsync());

        Assert.Equal(FineTuningStatus.Cancelled, (await fineTuning.GetJobAsync(running.JobId)).Status);
        Assert.Equal(400, refused.Status);
        Assert.Contains("already succeeded", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_events_and_checkpoints_newest_first_in_pages()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 3) });
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var fineTuning = client.GetFineTuningClient();
        var job = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);
        for (var i = 0; i < 5; i++)
        {
            await fineTuning.GetJobAsync(job.JobId);
        }

        var events = new List<FineTuningEvent>();
        await foreach (var e in job.GetEventsAsync(new GetEventsOptions { PageSize = 2 }))
        {
            events.Add(e);
        }

        var checkpoints = new List<FineTuningCheckpoint>();
        await foreach (var c in job.GetCheckpointsAsync(new GetCheckpointsOptions { PageSize = 2 }))
        {
            checkpoints.Add(c);
        }

        Assert.Equal("The job has successfully completed", events[0].Message);
        Assert.Equal($"Created fine-tuning job: {job.JobId}", events[^1].Message);
        Assert.Equal(3, events.Count(e => e.Message.StartsWith("Step ", StringComparison.Ordinal)));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal([3, 2, 1], checkpoints.Select(c => c.StepNumber));
        Assert.All(checkpoints, c => Assert.Equal(job.JobId, c.JobId));
        Assert.EndsWith(":ckpt-step-3", checkpoints[0].ModelId, StringComparison.Ordinal);
        Assert.NotNull(checkpoints[0].Metrics.TrainLoss);
    }

    [Fact]
    public async Task Lists_jobs_newest_first()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var client = OpenAIClients.Create(server);
        var fileId = (await client.GetOpenAIFileClient().UploadFileAsync(BinaryData.FromString(Jsonl), "train.jsonl", FileUploadPurpose.FineTune)).Value.Id;
        var fineTuning = client.GetFineTuningClient();
        var first = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);
        var second = await fineTuning.FineTuneAsync("gpt-4o-mini", fileId, waitUntilCompleted: false);

        var ids = new List<string>();
        await foreach (var job in fineTuning.GetJobsAsync(new FineTuningJobCollectionOptions { PageSize = 1 }))
        {
            ids.Add(job.JobId);
        }

        Assert.Equal([second.JobId, first.JobId], ids);
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_job_and_400_for_an_unknown_training_file()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var fineTuning = OpenAIClients.Create(server).GetFineTuningClient();

        var unknownJob = await Assert.ThrowsAsync<ClientResultException>(() => fineTuning.GetJobAsync("ftjob-missing"));
        var unknownFile = await Assert.ThrowsAsync<ClientResultException>(() => fineTuning.FineTuneAsync("gpt-4o-mini", "file-missing", waitUntilCompleted: false));

        Assert.Equal(404, unknownJob.Status);
        Assert.Equal(400, unknownFile.Status);
        Assert.Contains("file-missing", unknownFile.Message, StringComparison.Ordinal);
    }
}
