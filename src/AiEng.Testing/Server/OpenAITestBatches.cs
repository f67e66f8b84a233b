using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AiEng.Testing;

/// <summary>
/// The batch endpoints of <see cref="OpenAITestServer"/>: <c>/v1/batches</c> (create, list, get, cancel). A batch's input
/// file (uploaded to <c>/v1/files</c> with purpose <c>batch</c>) is validated and its lines answered through the server's
/// chat handler when the batch is created; the output and error files are added to the server's files.
/// </summary>
internal sealed class OpenAITestBatches(OpenAITestServer server)
{
    private readonly Lock _gate = new();
    private readonly List<OpenAITestBatch> _batches = [];
    private readonly OpenAITestRequestHandler _chat = new(server);

    private OpenAITestServerOptions Options => server.Options;

    /// <summary>Serves a request whose path starts with <c>/v1/batches</c>; false for other paths.</summary>
    public bool TryDispatch(HttpContext context, string normalizedPath, string body, CancellationToken cancellationToken, out Task handled)
    {
        var segments = normalizedPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        handled = (context.Request.Method, segments) switch
        {
            ("POST", ["v1", "batches"]) => CreateAsync(context, body, cancellationToken),
            ("GET", ["v1", "batches"]) => ListAsync(context, cancellationToken),
            ("GET", ["v1", "batches", var id]) => WithBatchAsync(context, id, cancellationToken, batch =>
            {
                batch.Poll(Options.TimeProvider.GetUtcNow());
                return (200, OpenAITestRequestHandler.Serialize(batch.Write));
            }),
            ("POST", ["v1", "batches", var id, "cancel"]) => WithBatchAsync(context, id, cancellationToken, batch => batch.Cancel(Options.TimeProvider.GetUtcNow())
                ? (200, OpenAITestRequestHandler.Serialize(batch.Write))
                : (400, OpenAITestRequestHandler.ErrorBody($"Batch {batch.Id} has already {batch.Status}; only a batch that has not ended can be cancelled.", "invalid_request_error", null, null))),
            _ => null!,
        };
        return handled is not null;
    }

    private async Task CreateAsync(HttpContext context, string body, CancellationToken cancellationToken)
    {
        string inputFileId;
        using (var document = OpenAITestRequestHandler.ParseObject(body))
        {
            var root = document.RootElement;
            inputFileId = OpenAITestRequestHandler.RequiredString(root, "input_file_id");
            var endpoint = OpenAITestRequestHandler.RequiredString(root, "endpoint");
            var window = OpenAITestRequestHandler.RequiredString(root, "completion_window");
            if (endpoint != OpenAITestServer.ChatCompletionsPath)
            {
                await OpenAITestRequestHandler.WriteErrorAsync(context, 400, $"The test server's batches serve only the endpoint '{OpenAITestServer.ChatCompletionsPath}', not '{endpoint}'.", "invalid_request_error", "invalid_value", cancellationToken, param: "endpoint").ConfigureAwait(false);
                return;
            }

            if (window != "24h")
            {
                await OpenAITestRequestHandler.WriteErrorAsync(context, 400, $"Invalid value '{window}': the completion window must be '24h'.", "invalid_request_error", "invalid_value", cancellationToken, param: "completion_window").ConfigureAwait(false);
                return;
            }
        }

        if (server.Files.FirstOrDefault(f => f.Id == inputFileId) is not { } input)
        {
            await OpenAITestRequestHandler.WriteErrorAsync(context, 400, $"Invalid file ID: '{inputFileId}' does not exist.", "invalid_request_error", "invalid_file_id", cancellationToken, param: "input_file_id").ConfigureAwait(false);
            return;
        }

        var script = server.BatchScript(input) ?? throw new InvalidOperationException("The batch script returned null.");
        script.Validate();
        var batch = new OpenAITestBatch(server.NextId("batch"), inputFileId, script, Options.TimeProvider.GetUtcNow());
        await RunLinesAsync(batch, input, cancellationToken).ConfigureAwait(false);

        byte[] json;
        lock (_gate)
        {
            _batches.Add(batch);
            json = OpenAITestRequestHandler.Serialize(batch.Write);
        }

        await OpenAITestRequestHandler.WriteBytesAsync(context, 200, json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates the input file and answers its lines, as far as the script lets the batch get.</summary>
    private async Task RunLinesAsync(OpenAITestBatch batch, OpenAITestFile input, CancellationToken cancellationToken)
    {
        var script = batch.Script;
        var lines = new List<(int Number, string CustomId, JsonElement Body)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rawLines = input.Text.Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var text = rawLines[i].TrimEnd('\r');
            if (text.Length > 0)
            {
                ParseLine(batch, i + 1, text, seen, lines);
            }
        }

        batch.Total = lines.Count;
        if (lines.Count == 0 && batch.Errors.Count == 0)
        {
            batch.Errors.Add(("empty_file", "The input file has no requests.", null));
        }

        if (script.FailureCode is { } code)
        {
            batch.Errors.Add((code, script.FailureMessage ?? $"The batch failed validation with error '{code}' (scripted by the test server).", null));
        }

        if (batch.Errors.Count > 0)
        {
            batch.EndStatus = "failed";
            return;
        }

        var output = new StringBuilder();
        var errors = new StringBuilder();
        var run = script.ExpireAfterLines is { } limit ? Math.Min(limit, lines.Count) : lines.Count;
        batch.EndStatus = run < lines.Count ? "expired" : "completed";
        foreach (var (_, customId, body) in lines.Take(run))
        {
            if (script.FailedLines.Contains(customId))
            {
                AppendError(errors, customId, script.LineErrorCode, script.LineErrorMessage ?? $"The request '{customId}' failed (scripted by the test server).");
                batch.Failed++;
                continue;
            }

            try
            {
                var completion = await _chat.CompleteChatAsync(body, cancellationToken).ConfigureAwait(false);
                output.Append(OutputLine(customId, 200, completion)).Append('\n');
                batch.Completed++;
            }
            catch (OpenAITestRequestHandler.BadRequestException e)
            {
                output.Append(OutputLine(customId, 400, OpenAITestRequestHandler.ErrorBody(e.Message, "invalid_request_error", null, null))).Append('\n');
                batch.Failed++;
            }
        }

        if (output.Length > 0)
        {
            batch.OutputFileId = AddFile(batch, "output", output);
        }

        if (errors.Length > 0)
        {
            batch.ErrorFileId = AddFile(batch, "error", errors);
        }
    }

    private static void ParseLine(OpenAITestBatch batch, int number, string text, HashSet<string> seen, List<(int Number, string CustomId, JsonElement Body)> lines)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            batch.Errors.Add(("invalid_json_line", $"This line is not parseable as valid JSON: {e.Message}", number));
            return;
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("custom_id", out var customId) || customId.ValueKind != JsonValueKind.String || customId.GetString() is not { Length: > 0 } id)
        {
            batch.Errors.Add(("missing_required_parameter", "The request is missing the required parameter 'custom_id'.", number));
            return;
        }

        if (!root.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || url.GetString() != OpenAITestServer.ChatCompletionsPath)
        {
            batch.Errors.Add(("invalid_url", $"The URL of the request must match the batch's endpoint '{OpenAITestServer.ChatCompletionsPath}'.", number));
            return;
        }

        if (!root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            batch.Errors.Add(("missing_required_parameter", "The request is missing the required parameter 'body'.", number));
            return;
        }

        if (!seen.Add(id))
        {
            batch.Errors.Add(("duplicate_custom_id", $"The custom_id '{id}' is used by more than one request; each request needs a unique custom_id.", number));
            return;
        }

        lines.Add((number, id, body));
    }

    private string AddFile(OpenAITestBatch batch, string kind, StringBuilder content)
    {
        var file = new OpenAITestFile(server.NextId("file"), $"{batch.Id}_{kind}.jsonl", $"batch_{kind}", Encoding.UTF8.GetBytes(content.ToString()), Options.TimeProvider.GetUtcNow());
        server.FineTuning.AddFile(file);
        return file.Id;
    }

    private string OutputLine(string customId, int statusCode, byte[] responseBody) => Encoding.UTF8.GetString(OpenAITestRequestHandler.Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", server.NextId("batch_req"));
        writer.WriteString("custom_id", customId);
        writer.WriteStartObject("response");
        writer.WriteNumber("status_code", statusCode);
        writer.WriteString("request_id", server.NextId("req"));
        writer.WritePropertyName("body");
        writer.WriteRawValue(responseBody);
        writer.WriteEndObject();
        writer.WriteNull("error");
        writer.WriteEndObject();
    }));

    private void AppendError(StringBuilder errors, string customId, string code, string message) => errors.Append(Encoding.UTF8.GetString(OpenAITestRequestHandler.Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", server.NextId("batch_req"));
        writer.WriteString("custom_id", customId);
        writer.WriteNull("response");
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }))).Append('\n');

    private Task ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        byte[] json;
        lock (_gate)
        {
            json = OpenAITestFineTuning.Page(context, Enumerable.Reverse(_batches).Select(batch => (batch.Id, (Action<Utf8JsonWriter>)batch.Write)));
        }

        return OpenAITestRequestHandler.WriteBytesAsync(context, 200, json, cancellationToken);
    }

    private Task WithBatchAsync(HttpContext context, string id, CancellationToken cancellationToken, Func<OpenAITestBatch, (int Status, byte[] Json)> action)
    {
        (int Status, byte[] Json)? answer = null;
        lock (_gate)
        {
            if (_batches.FirstOrDefault(b => b.Id == id) is { } batch)
            {
                answer = action(batch);
            }
        }

        return answer is { } found
            ? OpenAITestRequestHandler.WriteBytesAsync(context, found.Status, found.Json, cancellationToken)
            : OpenAITestRequestHandler.WriteErrorAsync(context, 404, $"No batch found with id '{id}'.", "invalid_request_error", null, cancellationToken, param: "batch_id");
    }
}
