using System.Globalization;
using System.Text.Json;

namespace AiEng.Testing;

/// <summary>
/// The state of one fine-tuning job of <see cref="OpenAITestServer"/>: its status, moved on by polls as its
/// <see cref="OpenAITestFineTuningScript"/> says, its events and checkpoints. Not thread-safe: <see cref="OpenAITestFineTuning"/>
/// guards it.
/// </summary>
internal sealed class OpenAITestFineTuningJob
{
    private readonly OpenAITestServer _server;
    private readonly List<JobEvent> _events = [];
    private readonly List<JobCheckpoint> _checkpoints = [];
    private int _polls;
    private int _steps;

    public OpenAITestFineTuningJob(OpenAITestServer server, string id, OpenAITestFineTuningJobRequest request, OpenAITestFineTuningScript script, DateTimeOffset now)
    {
        _server = server;
        Id = id;
        Request = request;
        Script = script;
        CreatedAt = now;
        Status = "validating_files";
        AddEvent(now, "info", $"Created fine-tuning job: {id}", "message", null);
        AddEvent(now, "info", $"Validating training file: {request.TrainingFileId}", "message", null);
    }

    public string Id { get; }

    public OpenAITestFineTuningJobRequest Request { get; }

    public OpenAITestFineTuningScript Script { get; }

    public DateTimeOffset CreatedAt { get; }

    public string Status { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string? FineTunedModel { get; private set; }

    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";

    /// <summary>Moves the job one step on, as a <c>GET</c> of the job does.</summary>
    public void Poll(DateTimeOffset now)
    {
        if (IsFinished)
        {
            return;
        }

        var poll = ++_polls;
        var script = Script;
        if (poll <= script.ValidatingPolls)
        {
            return;
        }

        if (poll <= script.ValidatingPolls + script.QueuedPolls)
        {
            if (Status != "queued")
            {
                Status = "queued";
                AddEvent(now, "info", "Files validated, moving job to queued state", "message", null);
            }

            return;
        }

        if (poll <= script.ValidatingPolls + script.QueuedPolls + script.RunningPolls)
        {
            if (Status != "running")
            {
                Status = "running";
                AddEvent(now, "info", "Fine-tuning job started", "message", null);
            }

            _steps++;
            var loss = 1.0 / (_steps + 1);
            var accuracy = 1.0 - (loss / 2);
            AddEvent(now, "info", FormattableString.Invariant($"Step {_steps}/{script.RunningPolls}: training loss={loss:0.0000}"), "metrics", new Metrics(_steps, loss, accuracy));
            _checkpoints.Add(new JobCheckpoint(_server.NextId("ftckpt"), now, _steps, new Metrics(_steps, loss, accuracy)));
            return;
        }

        FinishedAt = now;
        if (script.FailureCode is { } code)
        {
            Status = "failed";
            AddEvent(now, "error", FailureMessage, "message", null);
            return;
        }

        Status = "succeeded";
        FineTunedModel = script.FineTunedModel ?? $"ft:{Request.Model}:aieng-test:{Request.Suffix ?? "model"}:{Id}";
        AddEvent(now, "info", $"New fine-tuned model created: {FineTunedModel}", "message", null);
        AddEvent(now, "info", "The job has successfully completed", "message", null);
    }

    /// <summary>Cancels the job; false when it has already finished.</summary>
    public bool Cancel(DateTimeOffset now)
    {
        if (IsFinished)
        {
            return false;
        }

        Status = "cancelled";
        FinishedAt = now;
        AddEvent(now, "info", "Fine-tuning job cancelled", "message", null);
        return true;
    }

    private string FailureMessage => Script.FailureMessage ?? $"The job failed with error '{Script.FailureCode}' (scripted by the test server).";

    /// <summary>Writes the job object, as OpenAI's <c>fine_tuning.job</c>.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        var request = Request;
        writer.WriteStartObject();
        writer.WriteString("object", "fine_tuning.job");
        writer.WriteString("id", Id);
        writer.WriteString("model", request.Model);
        writer.WriteNumber("created_at", CreatedAt.ToUnixTimeSeconds());
        WriteNumberOrNull(writer, "finished_at", FinishedAt?.ToUnixTimeSeconds());
        OpenAITestRequestHandler.WriteStringOrNull(writer, "fine_tuned_model", FineTunedModel);
        writer.WriteString("organization_id", "org-aieng-test");
        writer.WriteStartArray("result_files");
        writer.WriteEndArray();
        writer.WriteString("status", Status);
        OpenAITestRequestHandler.WriteStringOrNull(writer, "validation_file", request.ValidationFileId);
        writer.WriteString("training_file", request.TrainingFileId);
        writer.WriteStartObject("hyperparameters");
        WriteHyperparameters(writer);
        writer.WriteEndObject();
        WriteNumberOrNull(writer, "trained_tokens", Status == "succeeded" ? Script.TrainedTokens : null);
        if (Status == "failed")
        {
            writer.WriteStartObject("error");
            writer.WriteString("code", Script.FailureCode);
            writer.WriteString("message", FailureMessage);
            writer.WriteNull("param");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("error");
        }

        writer.WriteNumber("seed", request.Seed ?? 42);
        writer.WriteNull("estimated_finish");
        writer.WriteStartArray("integrations");
        writer.WriteEndArray();
        OpenAITestRequestHandler.WriteStringOrNull(writer, "user_provided_suffix", request.Suffix);
        writer.WriteStartObject("method");
        writer.WriteString("type", "supervised");
        writer.WriteStartObject("supervised");
        writer.WriteStartObject("hyperparameters");
        WriteHyperparameters(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteNull("metadata");
        writer.WriteEndObject();
    }

    /// <summary>Gets the events, newest first, as OpenAI lists them.</summary>
    public IEnumerable<(string Id, Action<Utf8JsonWriter> Write)> NewestEvents() =>
        Enumerable.Reverse(_events).Select(e => (e.Id, (Action<Utf8JsonWriter>)(writer => WriteEvent(writer, e))));

    /// <summary>Gets the checkpoints, newest first, as OpenAI lists them.</summary>
    public IEnumerable<(string Id, Action<Utf8JsonWriter> Write)> NewestCheckpoints() =>
        Enumerable.Reverse(_checkpoints).Select(c => (c.Id, (Action<Utf8JsonWriter>)(writer => WriteCheckpoint(writer, c))));

    private void WriteHyperparameters(Utf8JsonWriter writer)
    {
        // Once created, OpenAI reports the values it chose for "auto"; the test server picks 3 epochs, batch size 1 and 2.0.
        writer.WriteNumber("n_epochs", Request.EpochCount ?? 3);
        writer.WriteNumber("batch_size", Request.BatchSize ?? 1);
        writer.WriteNumber("learning_rate_multiplier", Request.LearningRateMultiplier ?? 2.0);
    }

    private static void WriteEvent(Utf8JsonWriter writer, JobEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "fine_tuning.job.event");
        writer.WriteString("id", e.Id);
        writer.WriteNumber("created_at", e.CreatedAt.ToUnixTimeSeconds());
        writer.WriteString("level", e.Level);
        writer.WriteString("message", e.Message);
        writer.WriteString("type", e.Type);
        writer.WriteStartObject("data");
        if (e.Metrics is { } metrics)
        {
            writer.WriteNumber("step", metrics.Step);
            writer.WriteNumber("train_loss", metrics.TrainLoss);
            writer.WriteNumber("train_mean_token_accuracy", metrics.TrainAccuracy);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteCheckpoint(Utf8JsonWriter writer, JobCheckpoint checkpoint)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "fine_tuning.job.checkpoint");
        writer.WriteString("id", checkpoint.Id);
        writer.WriteNumber("created_at", checkpoint.CreatedAt.ToUnixTimeSeconds());
        writer.WriteString("fine_tuned_model_checkpoint", string.Create(CultureInfo.InvariantCulture, $"ft:{Request.Model}:aieng-test:{Request.Suffix ?? "model"}:{Id}:ckpt-step-{checkpoint.Step}"));
        writer.WriteNumber("step_number", checkpoint.Step);
        writer.WriteStartObject("metrics");
        writer.WriteNumber("step", checkpoint.Metrics.Step);
        writer.WriteNumber("train_loss", checkpoint.Metrics.TrainLoss);
        writer.WriteNumber("train_mean_token_accuracy", checkpoint.Metrics.TrainAccuracy);
        writer.WriteNumber("valid_loss", checkpoint.Metrics.TrainLoss * 1.1);
        writer.WriteNumber("valid_mean_token_accuracy", checkpoint.Metrics.TrainAccuracy * 0.95);
        writer.WriteNumber("full_valid_loss", checkpoint.Metrics.TrainLoss * 1.1);
        writer.WriteNumber("full_valid_mean_token_accuracy", checkpoint.Metrics.TrainAccuracy * 0.95);
        writer.WriteEndObject();
        writer.WriteString("fine_tuning_job_id", Id);
        writer.WriteEndObject();
    }

    private void AddEvent(DateTimeOffset now, string level, string message, string type, Metrics? metrics) =>
        _events.Add(new JobEvent(_server.NextId("ftevent"), now, level, message, type, metrics));

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private sealed record Metrics(int Step, double TrainLoss, double TrainAccuracy);

    private sealed record JobEvent(string Id, DateTimeOffset CreatedAt, string Level, string Message, string Type, Metrics? Metrics);

    private sealed record JobCheckpoint(string Id, DateTimeOffset CreatedAt, int Step, Metrics Metrics);
}
