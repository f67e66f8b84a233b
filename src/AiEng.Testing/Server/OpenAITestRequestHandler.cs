using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace AiEng.Testing;

/// <summary>
/// Serves the HTTP requests of <see cref="OpenAITestServer"/>: records them, applies queued faults and writes OpenAI's JSON
/// shapes. Written by hand with <see cref="Utf8JsonWriter"/> rather than through the OpenAI client's models, so the wire
/// format is explicit and the test kit does not depend on the client it is meant to test.
/// </summary>
internal sealed partial class OpenAITestRequestHandler(OpenAITestServer server)
{
    private const string JsonContentType = "application/json";
    private const string EventStreamContentType = "text/event-stream; charset=utf-8";

    private OpenAITestServerOptions Options => server.Options;

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        var body = Encoding.UTF8.GetString(bytes);

        var path = request.Path.Value ?? "/";
        var normalizedPath = OpenAITestServer.NormalizePath(path);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                ? RedactAuthorization(header.Value.ToString())
                : header.Value.ToString();
        }

        var fault = server.Record(new OpenAITestRecordedRequest(request.Method, path, body, headers, Options.TimeProvider.GetUtcNow()), normalizedPath);
        context.Response.Headers["x-request-id"] = server.NextId("req");

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.Stopping);
        var cancellationToken = cancellation.Token;
        try
        {
            if (fault is not null)
            {
                if (fault.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Delay, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }

                if (fault.DropConnection || (fault.BreakStreamAfterChunks is not null && !IsStreamingChat(normalizedPath, body)))
                {
                    context.Abort();
                    return;
                }

                if (fault.StatusCode is { } status)
                {
                    await WriteFaultAsync(context, fault, status, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            if (Options.ApiKey is { } apiKey && request.Headers.Authorization.ToString() != "Bearer " + apiKey)
            {
                await WriteErrorAsync(context, 401, "Incorrect API key provided. The test server expects the key set in OpenAITestServerOptions.ApiKey.", "invalid_request_error", "invalid_api_key", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (normalizedPath is OpenAITestServer.ChatCompletionsPath or OpenAITestServer.EmbeddingsPath)
            {
                if (server.RateLimit is { } limit && !limit.TryTake(context.Response, out var retryAfter))
                {
                    string wait = retryAfter.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                    await WriteErrorAsync(context, 429, $"Rate limit reached for requests: limit {Options.RequestsPerMinute} per minute (the test server's OpenAITestServerOptions.RequestsPerMinute). Please try again in {wait}s.", "requests", "rate_limit_exceeded", cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (Options.ResponseLatency > TimeSpan.Zero)
                {
                    await Task.Delay(Options.ResponseLatency, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }

            await DispatchAsync(context, normalizedPath, bytes, body, fault?.BreakStreamAfterChunks, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (IOException)
        {
            // The client went away while the answer was written.
            context.Abort();
        }
        catch (BadRequestException e)
        {
            await WriteErrorAsync(context, 400, e.Message, "invalid_request_error", null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            // A failing handler is a bug in the test; report it to the client as OpenAI reports its own failures.
            await WriteErrorAsync(context, 500, $"The test server's handler threw {e.GetType().Name}: {e.Message}", "server_error", null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RedactAuthorization(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[..space] + " ***" : "***";
    }

    private static bool IsStreamingChat(string normalizedPath, string body)
    {
        if (normalizedPath != OpenAITestServer.ChatCompletionsPath)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("stream", out var stream)
                && stream.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Task DispatchAsync(HttpContext context, string normalizedPath, byte[] bytes, string body, int? breakAfter, CancellationToken cancellationToken)
    {
        var method = context.Request.Method;
        if (server.FineTuning.TryDispatch(context, normalizedPath, bytes, cancellationToken, out var handled)
            || server.Batches.TryDispatch(context, normalizedPath, body, cancellationToken, out handled))
        {
            return handled;
        }

        return (method, normalizedPath) switch
        {
            ("POST", OpenAITestServer.ChatCompletionsPath) => ChatAsync(context, body, breakAfter, cancellationToken),
            ("POST", OpenAITestServer.EmbeddingsPath) => EmbeddingsAsync(context, body, cancellationToken),
            ("GET", OpenAITestServer.ModelsPath) => ModelsAsync(context, null, cancellationToken),
            ("GET", _) when normalizedPath.StartsWith(OpenAITestServer.ModelsPath + "/", StringComparison.Ordinal) =>
                ModelsAsync(context, context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1], cancellationToken),
            _ => WriteErrorAsync(context, 404, $"Invalid URL ({method} {context.Request.Path}). The test server serves POST {OpenAITestServer.ChatCompletionsPath}, POST {OpenAITestServer.EmbeddingsPath}, GET {OpenAITestServer.ModelsPath}, {OpenAITestServer.FilesPath}, {OpenAITestServer.FineTuningJobsPath} and {OpenAITestServer.BatchesPath}.", "invalid_request_error", null, cancellationToken),
        };
    }

    private async Task ChatAsync(HttpContext context, string body, int? breakAfter, CancellationToken cancellationToken)
    {
        using var document = ParseObject(body);
        var (chatRequest, reply, usage, completion) = await AnswerChatAsync(document.RootElement, cancellationToken).ConfigureAwait(false);
        if (chatRequest.Stream)
        {
            await StreamChatAsync(context, completion, reply, chatRequest.IncludeUsage ? usage : null, breakAfter, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteBytesAsync(context, 200, CompletionJson(completion, reply, usage), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers one non-streaming chat completion request body through the server's chat handler, as a line of a batch is
    /// answered; a <see cref="BadRequestException"/> for a body the endpoint would answer with <c>400</c>.
    /// </summary>
    internal async Task<byte[]> CompleteChatAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var (_, reply, usage, completion) = await AnswerChatAsync(root, cancellationToken).ConfigureAwait(false);
        return CompletionJson(completion, reply, usage);
    }

    private async Task<(OpenAITestChatRequest Request, OpenAITestChatReply Reply, ChatUsage Usage, Completion Completion)> AnswerChatAsync(JsonElement root, CancellationToken cancellationToken)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("The request body must be a JSON object.");
        }

        var model = RequiredString(root, "model");
        if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array)
        {
            throw new BadRequestException("Missing required parameter: 'messages'.");
        }

        var messages = new List<OpenAITestChatMessage>();
        foreach (var message in messagesElement.EnumerateArray())
        {
            messages.Add(new OpenAITestChatMessage(
                message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString()! : string.Empty,
                ContentText(message)));
        }

        var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        var chatRequest = new OpenAITestChatRequest(model, messages, root.Clone())
        {
            Stream = stream,
            IncludeUsage = root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind == JsonValueKind.Object
                && streamOptions.TryGetProperty("include_usage", out var includeUsage) && includeUsage.ValueKind == JsonValueKind.True,
            Temperature = root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number ? temperature.GetDouble() : null,
            MaxTokens = OptionalInt(root, "max_completion_tokens") ?? OptionalInt(root, "max_tokens"),
        };

        var reply = await server.ChatHandler(chatRequest, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The chat handler returned null.");
        var usage = new ChatUsage(
            reply.PromptTokens ?? messages.Sum(m => TestVectors.CountWords(m.Content)),
            reply.CompletionTokens ?? TestVectors.CountWords(reply.Text),
            reply.CachedTokens);
        var completion = new Completion(server.NextId("chatcmpl"), Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds(), reply.Model ?? model);
        return (chatRequest, reply, usage, completion);
    }

    private static byte[] CompletionJson(Completion completion, OpenAITestChatReply reply, ChatUsage usage) => Serialize(writer =>
    {
        WriteCompletionHeader(writer, completion, "chat.completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", reply.Text);
        writer.WriteNull("refusal");
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", reply.FinishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteChatUsage(writer, usage);
        writer.WriteString("service_tier", "default");
        writer.WriteNull("system_fingerprint");
        writer.WriteEndObject();
    });

    private static async Task StreamChatAsync(HttpContext context, Completion completion, OpenAITestChatReply reply, ChatUsage? usage, int? breakAfter, CancellationToken cancellationToken)
    {
        var events = new List<byte[]>
        {
            Chunk(completion, usage is not null, writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteString("content", string.Empty);
                writer.WriteNull("refusal");
            }, null),
        };
        foreach (Match word in WordChunk().Matches(reply.Text))
        {
            events.Add(Chunk(completion, usage is not null, writer => writer.WriteString("content", word.Value), null));
        }

        events.Add(Chunk(completion, usage is not null, _ => { }, reply.FinishReason));
        if (usage is { } u)
        {
            events.Add(Serialize(writer =>
            {
                WriteCompletionHeader(writer, completion, "chat.completion.chunk");
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                WriteChatUsage(writer, u);
                writer.WriteNull("system_fingerprint");
                writer.WriteEndObject();
            }));
        }

        events.Add("[DONE]"u8.ToArray());
        if (breakAfter is { } count)
        {
            await BreakStreamAsync(context, events.Take(count), cancellationToken).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = EventStreamContentType;
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var data in events)
        {
            await response.Body.WriteAsync(Event(data), cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the head of a chunked response and <paramref name="events"/> straight to the socket, then closes the sending
    /// side so the client reads every event and then a premature end of the body. Aborting through Kestrel would reset the
    /// connection and could discard events the client has not read yet, which would make tests flaky.
    /// </summary>
    private static async Task BreakStreamAsync(HttpContext context, IEnumerable<byte[]> events, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            context.Abort();
            return;
        }

        var message = new MemoryStream();
        message.Write(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: {EventStreamContentType}\r\nCache-Control: no-cache\r\nx-request-id: {context.Response.Headers["x-request-id"]}\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var data in events)
        {
            var chunk = Event(data);
            message.Write(Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            message.Write(chunk);
            message.Write("\r\n"u8);
        }

        await socket.SendAsync(message.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);

        // Keep the connection until the client gives up on it (or the server stops), then let Kestrel drop it.
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    private static byte[] Event(byte[] data) => [.. "data: "u8, .. data, .. "\n\n"u8];

    private static byte[] Chunk(Completion completion, bool withUsage, Action<Utf8JsonWriter> writeDelta, string? finishReason) => Serialize(writer =>
    {
        WriteCompletionHeader(writer, completion, "chat.completion.chunk");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        writeDelta(writer);
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        WriteStringOrNull(writer, "finish_reason", finishReason);

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (withUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteNull("system_fingerprint");
        writer.WriteEndObject();
    });

    private async Task EmbeddingsAsync(HttpContext context, string body, CancellationToken cancellationToken)
    {
        using var document = ParseObject(body);
        var root = document.RootElement;
        var model = RequiredString(root, "model");
        if (!root.TryGetProperty("input", out var inputElement))
        {
            throw new BadRequestException("Missing required parameter: 'input'.");
        }

        List<string> inputs = inputElement.ValueKind switch
        {
            JsonValueKind.String => [inputElement.GetString()!],
            JsonValueKind.Array when inputElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                [.. inputElement.EnumerateArray().Select(e => e.GetString()!)],
            _ => throw new BadRequestException("'input' must be a string or an array of strings; the test server does not accept token arrays."),
        };

        var encoding = root.TryGetProperty("encoding_format", out var encodingElement) && encodingElement.ValueKind == JsonValueKind.String
            ? encodingElement.GetString()!
            : "float";
        if (encoding is not ("float" or "base64"))
        {
            throw new BadRequestException($"'{encoding}' is not one of ['float', 'base64'] - 'encoding_format'.");
        }

        var dimensions = OptionalInt(root, "dimensions");
        if (dimensions is < 1)
        {
            throw new BadRequestException("'dimensions' must be at least 1.");
        }

        var embeddingRequest = new OpenAITestEmbeddingRequest(model, inputs, root.Clone()) { Dimensions = dimensions, EncodingFormat = encoding };
        var vectors = await server.EmbeddingHandler(embeddingRequest, cancellationToken).ConfigureAwait(false);
        if (vectors is null || vectors.Count != inputs.Count)
        {
            throw new InvalidOperationException($"The embedding handler returned {vectors?.Count ?? 0} vectors for {inputs.Count} inputs.");
        }

        var promptTokens = inputs.Sum(TestVectors.CountWords);
        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                if (encoding == "base64")
                {
                    // Little-endian float32 bytes, as OpenAI sends them.
                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vectors[i].AsSpan()));
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (var value in vectors[i])
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", promptTokens);
            writer.WriteNumber("total_tokens", promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task ModelsAsync(HttpContext context, string? id, CancellationToken cancellationToken)
    {
        var created = Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        void WriteModel(Utf8JsonWriter writer, string model)
        {
            writer.WriteStartObject();
            writer.WriteString("id", model);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", created);
            writer.WriteString("owned_by", "aieng-test");
            writer.WriteEndObject();
        }

        if (id is not null)
        {
            return Options.Models.Contains(id)
                ? WriteJsonAsync(context, 200, writer => WriteModel(writer, id), cancellationToken)
                : WriteErrorAsync(context, 404, $"The model '{id}' does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", cancellationToken);
        }

        return WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var model in Options.Models)
            {
                WriteModel(writer, model);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken);
    }

    private static Task WriteFaultAsync(HttpContext context, OpenAITestFault fault, int status, CancellationToken cancellationToken)
    {
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var (type, code, message) = status switch
        {
            400 => ("invalid_request_error", null, "Bad request (injected by the test server)."),
            401 => ("invalid_request_error", "invalid_api_key", "Incorrect API key provided (injected by the test server)."),
            403 => ("invalid_request_error", "unsupported_country_region_territory", "Forbidden (injected by the test server)."),
            404 => ("invalid_request_error", "model_not_found", "Not found (injected by the test server)."),
            429 => ("requests", "rate_limit_exceeded", "Rate limit reached (injected by the test server). Please try again later."),
            503 => ("server_error", null, "The engine is currently overloaded, please try again later (injected by the test server)."),
            >= 500 => ("server_error", null, "The server had an error while processing your request (injected by the test server)."),
            _ => ("invalid_request_error", (string?)null, FormattableString.Invariant($"Error {status} (injected by the test server).")),
        };
        return WriteErrorAsync(context, status, fault.ErrorMessage ?? message, fault.ErrorType ?? type, fault.ErrorCode ?? code, cancellationToken);
    }

    /// <summary>Writes an OpenAI-style error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    internal static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? code, CancellationToken cancellationToken, string? param = null) =>
        WriteBytesAsync(context, status, ErrorBody(message, type, code, param), cancellationToken);

    /// <summary>Serializes an OpenAI-style error body.</summary>
    internal static byte[] ErrorBody(string message, string type, string? code, string? param) => Serialize(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        WriteStringOrNull(writer, "param", param);
        WriteStringOrNull(writer, "code", code);

        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>Writes a JSON answer.</summary>
    internal static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, CancellationToken cancellationToken) =>
        WriteBytesAsync(context, status, Serialize(write), cancellationToken);

    /// <summary>Writes an already serialized JSON answer.</summary>
    internal static async Task WriteBytesAsync(HttpContext context, int status, byte[] json, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serializes with <paramref name="write"/>, with relaxed escaping as OpenAI's answers are.</summary>
    internal static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a string property, or <c>null</c>.</summary>
    internal static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteCompletionHeader(Utf8JsonWriter writer, Completion completion, string objectType)
    {
        writer.WriteStartObject();
        writer.WriteString("id", completion.Id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", completion.Created);
        writer.WriteString("model", completion.Model);
    }

    private static void WriteChatUsage(Utf8JsonWriter writer, ChatUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.PromptTokens + usage.CompletionTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Parses a JSON object body; a 400 answer otherwise.</summary>
    internal static JsonDocument ParseObject(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"We could not parse the JSON body of your request: {e.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new BadRequestException("The request body must be a JSON object.");
        }

        return document;
    }

    /// <summary>Gets a required non-empty string property; a 400 answer otherwise.</summary>
    internal static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new BadRequestException($"Missing required parameter: '{name}'.");

    /// <summary>Gets an optional integer property.</summary>
    internal static int? OptionalInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return string.Empty;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Join('\n', content.EnumerateArray()
                .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                .Select(part => part.GetProperty("text").GetString())),
            _ => string.Empty,
        };
    }

    [GeneratedRegex(@"\s*\S+|\s+$")]
    private static partial Regex WordChunk();

    private readonly record struct Completion(string Id, long Created, string Model);

    private readonly record struct ChatUsage(int PromptTokens, int CompletionTokens, int CachedTokens);

    /// <summary>A request the server answers with <c>400</c> and the message.</summary>
    internal sealed class BadRequestException(string message) : Exception(message);
}
