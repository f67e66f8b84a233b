using System.Globalization;
using System.Text.Json;
using AiEng.FineTuning;

namespace AiEng.OpenAI;

/// <summary>
/// Reads OpenAI's fine-tuning objects (<c>fine_tuning.job</c>, <c>fine_tuning.job.event</c>,
/// <c>fine_tuning.job.checkpoint</c>) and error bodies from the wire JSON. The OpenAI client's typed models of 2.x do not
/// expose every field a caller needs (<c>fine_tuned_model</c>, <c>error</c>, <c>trained_tokens</c>) and mark the rest
/// experimental, so the JSON of its responses is read here, against OpenAI's documented format.
/// </summary>
internal static class OpenAIFineTuningJson
{
    /// <summary>Reads a job.</summary>
    public static FineTuningJob ReadJob(BinaryData json, object? raw)
    {
        using var document = JsonDocument.Parse(json);
        return ReadJob(document.RootElement, raw);
    }

    /// <summary>Reads a job object.</summary>
    public static FineTuningJob ReadJob(JsonElement job, object? raw)
    {
        var rawStatus = String(job, "status");
        FineTuningJobError? error = null;
        if (job.TryGetProperty("error", out var errorElement) && errorElement.ValueKind == JsonValueKind.Object
            && (String(errorElement, "message") is not null || String(errorElement, "code") is not null))
        {
            error = new FineTuningJobError(String(errorElement, "code") ?? string.Empty, String(errorElement, "message") ?? string.Empty)
            {
                Parameter = String(errorElement, "param"),
            };
        }

        return new FineTuningJob(String(job, "id") ?? "(no id)", String(job, "model") ?? "(no model)", ParseStatus(rawStatus))
        {
            RawStatus = rawStatus,
            FineTunedModel = String(job, "fine_tuned_model"),
            TrainingFileId = String(job, "training_file"),
            ValidationFileId = String(job, "validation_file"),
            Hyperparameters = Hyperparameters(job),
            Seed = job.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number && seed.TryGetInt32(out var s) ? s : null,
            Suffix = String(job, "user_provided_suffix"),
            CreatedAt = Time(job, "created_at"),
            FinishedAt = Time(job, "finished_at"),
            EstimatedFinishAt = Time(job, "estimated_finish"),
            TrainedTokens = job.TryGetProperty("trained_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Number && tokens.TryGetInt64(out var t) ? t : null,
            Error = error,
            RawRepresentation = raw,
        };
    }

    /// <summary>Reads an event object.</summary>
    public static FineTuningJobEvent ReadEvent(JsonElement item) =>
        new(String(item, "id") ?? "(no id)", Time(item, "created_at") ?? DateTimeOffset.UnixEpoch, String(item, "message") ?? string.Empty)
        {
            Level = String(item, "level") ?? "info",
            Kind = String(item, "type"),
            Data = item.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data.Clone() : null,
        };

    /// <summary>Reads a checkpoint object.</summary>
    public static FineTuningCheckpoint ReadCheckpoint(JsonElement item)
    {
        var metrics = item.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new FineTuningCheckpoint(
            String(item, "id") ?? "(no id)",
            String(item, "fine_tuning_job_id") ?? "(no job)",
            String(item, "fine_tuned_model_checkpoint") ?? "(no model)",
            item.TryGetProperty("step_number", out var step) && step.ValueKind == JsonValueKind.Number && step.TryGetInt32(out var n) ? n : 0)
        {
            CreatedAt = Time(item, "created_at"),
            TrainingLoss = Number(metrics, "train_loss"),
            TrainingMeanTokenAccuracy = Number(metrics, "train_mean_token_accuracy"),
            ValidationLoss = Number(metrics, "valid_loss"),
            ValidationMeanTokenAccuracy = Number(metrics, "valid_mean_token_accuracy"),
        };
    }

    /// <summary>Reads the items of a list page (<c>{"object": "list", "data": [...]}</c>).</summary>
    public static List<T> ReadPage<T>(BinaryData json, Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(json);
        var items = new List<T>();
        if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                items.Add(read(item));
            }
        }

        return items;
    }

    /// <summary>Reads <c>error.code</c>, <c>error.message</c> and <c>error.param</c> of an error body; nulls when it is not one.</summary>
    public static (string? Code, string? Message, string? Parameter) ReadError(BinaryData? body)
    {
        if (body is null)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (String(error, "code"), String(error, "message"), String(error, "param"));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, for example): the caller reports the status alone.
        }

        return default;
    }

    /// <summary>Maps OpenAI's status names.</summary>
    public static FineTuningJobStatus ParseStatus(string? status) => status switch
    {
        "validating_files" => FineTuningJobStatus.ValidatingFiles,
        "queued" => FineTuningJobStatus.Queued,
        "running" => FineTuningJobStatus.Running,
        "succeeded" => FineTuningJobStatus.Succeeded,
        "failed" => FineTuningJobStatus.Failed,
        "cancelled" => FineTuningJobStatus.Cancelled,
        _ => FineTuningJobStatus.Unknown,
    };

    private static FineTuningHyperparameters? Hyperparameters(JsonElement job)
    {
        // The job reports them under method.<type>.hyperparameters, and (deprecated) at the top level.
        JsonElement found = default;
        if (job.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object
            && String(method, "type") is { } type && method.TryGetProperty(type, out var settings) && settings.ValueKind == JsonValueKind.Object
            && settings.TryGetProperty("hyperparameters", out var nested) && nested.ValueKind == JsonValueKind.Object)
        {
            found = nested;
        }
        else if (job.TryGetProperty("hyperparameters", out var top) && top.ValueKind == JsonValueKind.Object)
        {
            found = top;
        }

        return found.ValueKind != JsonValueKind.Object
            ? null
            : new FineTuningHyperparameters
            {
                EpochCount = (int?)Number(found, "n_epochs"),
                BatchSize = (int?)Number(found, "batch_size"),
                LearningRateMultiplier = Number(found, "learning_rate_multiplier"),
            };
    }

    /// <summary>Reads a number, or a numeric string; <c>auto</c>, null and anything else give null.</summary>
    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
