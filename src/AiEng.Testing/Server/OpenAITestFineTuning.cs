using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AiEng.Testing;

/// <summary>
/// The files and fine-tuning endpoints of <see cref="OpenAITestServer"/>: <c>/v1/files</c> (multipart upload, list, get) and
/// <c>/v1/fine_tuning/jobs</c> (create, list, get, events, checkpoints, cancel), with the uploaded files and the jobs held in
/// memory behind one lock.
/// </summary>
internal sealed class OpenAITestFineTuning(OpenAITestServer server)
{
    private const int DefaultPageSize = 20;
    private readonly Lock _gate = new();
    private readonly List<OpenAITestFile> _files = [];
    private readonly List<OpenAITestFineTuningJob> _jobs = [];

    private OpenAITestServerOptions Options => server.Options;

    /// <summary>Gets a snapshot of the uploaded files, oldest first.</summary>
    public IReadOnlyList<OpenAITestFile> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files];
            }
        }
    }

    /// <summary>Serves a request whose path starts with <c>/v1/files</c> or <c>/v1/fine_tuning/jobs</c>; false for other paths.</summary>
    public bool TryDispatch(HttpContext context, string normalizedPath, byte[] body, CancellationToken cancellationToken, out Task handled)
    {
        var method = context.Request.Method;
        var segments = normalizedPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        handled = (method, segments) switch
        {
            ("POST", ["v1", "files"]) => UploadAsync(context, body, cancellationToken),
            ("GET", ["v1", "files"]) => ListFilesAsync(context, cancellationToken),
            ("GET", ["v1", "files", var id]) => GetFileAsync(context, id, cancellationToken),
            ("GET", ["v1", "files", var id, "content"]) => GetFileContentAsync(context, id, cancellationToken),
            ("POST", ["v1", "fine_tuning", "jobs"]) => CreateJobAsync(context, body, cancellationToken),
            ("GET", ["v1", "fine_tuning", "jobs"]) => ListJobsAsync(context, cancellationToken),
            ("GET", ["v1", "fine_tuning", "jobs", var id]) => GetJobAsync(context, id, cancellationToken),
            ("GET", ["v1", "fine_tuning", "jobs", var id, "events"]) => ListEventsAsync(context, id, cancellationToken),
            ("GET", ["v1", "fine_tuning", "jobs", var id, "checkpoints"]) => ListCheckpointsAsync(context, id, cancellationToken),
            ("POST", ["v1", "fine_tuning", "jobs", var id, "cancel"]) => CancelJobAsync(context, id, cancellationToken),
            _ => null!,
        };
        return handled is not null;
    }

    private async Task UploadAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new OpenAITestRequestHandler.BadRequestException("The upload must be multipart/form-data with a 'file' part and a 'purpose' part.");
        }

        string? purpose = null;
        string? fileName = null;
        byte[]? content = null;
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (name == "purpose")
            {
                purpose = Encoding.UTF8.GetString(buffer.ToArray());
            }
            else if (name == "file")
            {
                fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "file";
                content = buffer.ToArray();
            }
        }

        if (content is null || fileName is null)
        {
            throw new OpenAITestRequestHandler.BadRequestException("Missing required parameter: 'file'.");
        }

        if (string.IsNullOrEmpty(purpose))
        {
            throw new OpenAITestRequestHandler.BadRequestException("Missing required parameter: 'purpose'.");
        }

        if (purpose == "fine-tune" && Options.RejectMalformedFineTuningFiles && FindMalformedLine(content) is { } problem)
        {
            await OpenAITestRequestHandler.WriteErrorAsync(
                context, 400, $"Invalid file format for Fine-Tuning API. {problem}", "invalid_request_error", "invalid_file_format", cancellationToken, param: "file").ConfigureAwait(false);
            return;
        }

        var file = new OpenAITestFile(server.NextId("file"), fileName, purpose, content, Options.TimeProvider.GetUtcNow());
        lock (_gate)
        {
            _files.Add(file);
        }

        await OpenAITestRequestHandler.WriteJsonAsync(context, 200, writer => WriteFile(writer, file), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the first line of a fine-tuning upload that is not a chat example or a preference pair, as OpenAI's upload check does.</summary>
    private static string? FindMalformedLine(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var lines = text.Split('\n');
        var examples = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            examples++;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var isChat = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array;
                var isPreference = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object
                    && input.TryGetProperty("messages", out var inputMessages) && inputMessages.ValueKind == JsonValueKind.Array;
                if (!isChat && !isPreference)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"Line {i + 1}: expected a JSON object with a 'messages' array (or an 'input' object with one, for preference data).");
                }
            }
            catch (JsonException e)
            {
                return string.Create(CultureInfo.InvariantCulture, $"Line {i + 1} is not valid JSON: {e.Message}");
            }
        }

        return examples == 0 ? "The file has no examples." : null;
    }

    private Task ListFilesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var files = Files;
        return OpenAITestRequestHandler.WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var file in files)
            {
                WriteFile(writer, file);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("has_more", false);
            writer.WriteEndObject();
        }, cancellationToken);
    }

    private Task GetFileAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        var file = Files.FirstOrDefault(f => f.Id == id);
        return file is null
            ? OpenAITestRequestHandler.WriteErrorAsync(context, 404, $"No such File object: {id}", "invalid_request_error", null, cancellationToken, param: "id")
            : OpenAITestRequestHandler.WriteJsonAsync(context, 200, writer => WriteFile(writer, file), cancellationToken);
    }

    /// <summary>Adds a file the server wrote itself, such as a batch's output or error file.</summary>
    public void AddFile(OpenAITestFile file)
    {
        lock (_gate)
        {
            _files.Add(file);
        }
    }

    private async Task GetFileContentAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        if (Files.FirstOrDefault(f => f.Id == id) is not { } file)
        {
            await OpenAITestRequestHandler.WriteErrorAsync(context, 404, $"No such File object: {id}", "invalid_request_error", null, cancellationToken, param: "id").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = file.Content.Length;
        await context.Response.Body.WriteAsync(file.Content, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteFile(Utf8JsonWriter writer, OpenAITestFile file)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "file");
        writer.WriteString("id", file.Id);
        writer.WriteString("purpose", file.Purpose);
        writer.WriteString("filename", file.FileName);
        writer.WriteNumber("bytes", file.Content.Length);
        writer.WriteNumber("created_at", file.CreatedAt.ToUnixTimeSeconds());
        writer.WriteNull("expires_at");
        writer.WriteString("status", "processed");
        writer.WriteNull("status_details");
        writer.WriteEndObject();
    }

    private async Task CreateJobAsync(HttpContext context, byte[] body, CancellationToken cancellationToken)
    {
        using var document = OpenAITestRequestHandler.ParseObject(Encoding.UTF8.GetString(body));
        var root = document.RootElement;
        var model = OpenAITestRequestHandler.RequiredString(root, "model");
        var trainingFile = OpenAITestRequestHandler.RequiredString(root, "training_file");
        var validationFile = OptionalString(root, "validation_file");
        foreach (var (parameter, fileId) in new[] { ("training_file", trainingFile), ("validation_file", validationFile) })
        {
            if (fileId is not null && !Files.Any(f => f.Id == fileId))
            {
                await OpenAITestRequestHandler.WriteErrorAsync(context, 400, $"Invalid file ID: '{fileId}' does not exist.", "invalid_request_error", "invalid_file_id", cancellationToken, param: parameter).ConfigureAwait(false);
                return;
            }
        }

        // The hyperparameters are sent under method.supervised (or method.dpo), or in the older top-level object.
        var hyperparameters = Hyperparameters(root);
        var request = new OpenAITestFineTuningJobRequest(model, trainingFile, root.Clone())
        {
            ValidationFileId = validationFile,
            Suffix = OptionalString(root, "suffix"),
            Seed = OpenAITestRequestHandler.OptionalInt(root, "seed"),
            EpochCount = hyperparameters is { } h1 ? OpenAITestRequestHandler.OptionalInt(h1, "n_epochs") : null,
            BatchSize = hyperparameters is { } h2 ? OpenAITestRequestHandler.OptionalInt(h2, "batch_size") : null,
            LearningRateMultiplier = hyperparameters is { } h3 && h3.TryGetProperty("learning_rate_multiplier", out var rate) && rate.ValueKind == JsonValueKind.Number ? rate.GetDouble() : null,
        };

        var script = server.FineTuningScript(request) ?? throw new InvalidOperationException("The fine-tuning script returned null.");
        script.Validate();
        OpenAITestFineTuningJob job;
        byte[] json;
        lock (_gate)
        {
            job = new OpenAITestFineTuningJob(server, server.NextId("ftjob"), request, script, Options.TimeProvider.GetUtcNow());
            _jobs.Add(job);
            json = OpenAITestRequestHandler.Serialize(job.Write);
        }

        await OpenAITestRequestHandler.WriteBytesAsync(context, 200, json, cancellationToken).ConfigureAwait(false);
    }

    private static JsonElement? Hyperparameters(JsonElement root)
    {
        if (root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object)
        {
            foreach (var kind in new[] { "supervised", "dpo" })
            {
                if (method.TryGetProperty(kind, out var settings) && settings.ValueKind == JsonValueKind.Object
                    && settings.TryGetProperty("hyperparameters", out var nested) && nested.ValueKind == JsonValueKind.Object)
                {
                    return nested;
                }
            }
        }

        return root.TryGetProperty("hyperparameters", out var top) && top.ValueKind == JsonValueKind.Object ? top : null;
    }

    private Task GetJobAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        WithJobAsync(context, id, cancellationToken, job =>
        {
            job.Poll(Options.TimeProvider.GetUtcNow());
            return (200, OpenAITestRequestHandler.Serialize(job.Write));
        });

    private Task CancelJobAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        WithJobAsync(context, id, cancellationToken, job => job.Cancel(Options.TimeProvider.GetUtcNow())
            ? (200, OpenAITestRequestHandler.Serialize(job.Write))
            : (400, OpenAITestRequestHandler.ErrorBody($"Job {job.Id} has already {job.Status}; only a job that has not finished can be cancelled.", "invalid_request_error", null, null)));

    private Task ListEventsAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        WithJobAsync(context, id, cancellationToken, job => (200, Page(context, job.NewestEvents())));

    private Task ListCheckpointsAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        WithJobAsync(context, id, cancellationToken, job => (200, Page(context, job.NewestCheckpoints())));

    private Task ListJobsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        byte[] json;
        lock (_gate)
        {
            json = Page(context, Enumerable.Reverse(_jobs).Select(job => (job.Id, (Action<Utf8JsonWriter>)job.Write)));
        }

        return OpenAITestRequestHandler.WriteBytesAsync(context, 200, json, cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/> on a job under the lock and writes its answer, or answers 404 for an unknown job.</summary>
    private Task WithJobAsync(HttpContext context, string id, CancellationToken cancellationToken, Func<OpenAITestFineTuningJob, (int Status, byte[] Json)> action)
    {
        (int Status, byte[] Json)? answer = null;
        lock (_gate)
        {
            if (_jobs.FirstOrDefault(j => j.Id == id) is { } job)
            {
                answer = action(job);
            }
        }

        return answer is { } found
            ? OpenAITestRequestHandler.WriteBytesAsync(context, found.Status, found.Json, cancellationToken)
            : OpenAITestRequestHandler.WriteErrorAsync(context, 404, $"Could not find fine-tune: {id}", "invalid_request_error", "fine_tune_not_found", cancellationToken, param: "fine_tune_id");
    }

    /// <summary>Writes one page of a newest-first list, honouring <c>after</c> (an item id) and <c>limit</c> as OpenAI does.</summary>
    internal static byte[] Page(HttpContext context, IEnumerable<(string Id, Action<Utf8JsonWriter> Write)> newestFirst)
    {
        var items = newestFirst.ToList();
        var after = context.Request.Query["after"].ToString();
        var start = 0;
        if (after.Length > 0)
        {
            var index = items.FindIndex(item => item.Id == after);
            start = index < 0 ? items.Count : index + 1;
        }

        var limit = int.TryParse(context.Request.Query["limit"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var requested) && requested > 0
            ? requested
            : DefaultPageSize;
        var page = items.Skip(start).Take(limit).ToList();
        return OpenAITestRequestHandler.Serialize(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var item in page)
            {
                item.Write(writer);
            }

            writer.WriteEndArray();
            OpenAITestRequestHandler.WriteStringOrNull(writer, "first_id", page.Count > 0 ? page[0].Id : null);
            OpenAITestRequestHandler.WriteStringOrNull(writer, "last_id", page.Count > 0 ? page[^1].Id : null);
            writer.WriteBoolean("has_more", start + page.Count < items.Count);
            writer.WriteEndObject();
        });
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
