using System.Text.Json;

namespace AiEng.Testing;

/// <summary>
/// The state of one batch of <see cref="OpenAITestServer"/>: its lines were answered when it was created; polls reveal the
/// status as its <see cref="OpenAITestBatchScript"/> says. Not thread-safe: <see cref="OpenAITestBatches"/> guards it.
/// </summary>
internal sealed class OpenAITestBatch(string id, string inputFileId, OpenAITestBatchScript script, DateTimeOffset createdAt)
{
    private int _polls;

    public string Id { get; } = id;

    public string InputFileId { get; } = inputFileId;

    public OpenAITestBatchScript Script { get; } = script;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string Status { get; private set; } = "validating";

    /// <summary>Gets or sets the status the batch ends in: <c>completed</c>, <c>failed</c> or <c>expired</c>.</summary>
    public string EndStatus { get; set; } = "completed";

    /// <summary>Gets the validation errors of a batch that ends <c>failed</c>.</summary>
    public List<(string Code, string Message, int? Line)> Errors { get; } = [];

    public string? OutputFileId { get; set; }

    public string? ErrorFileId { get; set; }

    public int Total { get; set; }

    public int Completed { get; set; }

    public int Failed { get; set; }

    public DateTimeOffset? InProgressAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public bool IsFinished => Status is "completed" or "failed" or "expired" or "cancelled";

    /// <summary>Moves the batch one step on, as a <c>GET</c> of the batch does.</summary>
    public void Poll(DateTimeOffset now)
    {
        if (IsFinished)
        {
            return;
        }

        var poll = ++_polls;
        if (poll <= Script.ValidatingPolls)
        {
            return;
        }

        if (EndStatus != "failed" && poll <= Script.ValidatingPolls + Script.InProgressPolls)
        {
            Status = "in_progress";
            InProgressAt ??= now;
            return;
        }

        Status = EndStatus;
        EndedAt = now;
    }

    /// <summary>Cancels the batch; false when it has already finished. Its answers are dropped, as none were delivered.</summary>
    public bool Cancel(DateTimeOffset now)
    {
        if (IsFinished)
        {
            return false;
        }

        Status = "cancelled";
        EndedAt = now;
        OutputFileId = null;
        ErrorFileId = null;
        Completed = 0;
        Failed = 0;
        return true;
    }

    /// <summary>Writes the batch object, as OpenAI's <c>batch</c>; the output and error files show once the batch has ended.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        var ended = Status is "completed" or "expired" or "failed";
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("object", "batch");
        writer.WriteString("endpoint", OpenAITestServer.ChatCompletionsPath);
        if (Status == "failed")
        {
            writer.WriteStartObject("errors");
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var (code, message, line) in Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("code", code);
                writer.WriteString("message", message);
                writer.WriteNull("param");
                if (line is { } number)
                {
                    writer.WriteNumber("line", number);
                }
                else
                {
                    writer.WriteNull("line");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("errors");
        }

        writer.WriteString("input_file_id", InputFileId);
        writer.WriteString("completion_window", "24h");
        writer.WriteString("status", Status);
        OpenAITestRequestHandler.WriteStringOrNull(writer, "output_file_id", ended ? OutputFileId : null);
        OpenAITestRequestHandler.WriteStringOrNull(writer, "error_file_id", ended ? ErrorFileId : null);
        writer.WriteNumber("created_at", CreatedAt.ToUnixTimeSeconds());
        WriteTime(writer, "in_progress_at", InProgressAt);
        writer.WriteNumber("expires_at", CreatedAt.AddDays(1).ToUnixTimeSeconds());
        WriteTime(writer, "finalizing_at", Status == "completed" ? EndedAt : null);
        WriteTime(writer, "completed_at", Status == "completed" ? EndedAt : null);
        WriteTime(writer, "failed_at", Status == "failed" ? EndedAt : null);
        WriteTime(writer, "expired_at", Status == "expired" ? EndedAt : null);
        WriteTime(writer, "cancelling_at", Status == "cancelled" ? EndedAt : null);
        WriteTime(writer, "cancelled_at", Status == "cancelled" ? EndedAt : null);
        writer.WriteStartObject("request_counts");
        writer.WriteNumber("total", Total);
        writer.WriteNumber("completed", ended ? Completed : 0);
        writer.WriteNumber("failed", ended ? Failed : 0);
        writer.WriteEndObject();
        writer.WriteNull("metadata");
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteNumber(name, time.ToUnixTimeSeconds());
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
