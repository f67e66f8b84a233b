#pragma warning disable OPENAI001 // The OpenAI client's batch API is experimental; AiEng isolates it behind this client.

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Batch;
using OpenAI.Files;

namespace AiEng.OpenAI;

/// <summary>
/// Runs chat requests through OpenAI's Batch API, at half the synchronous price: builds the JSONL input (one line per
/// <see cref="BatchItem{TInput}"/>, its <see cref="BatchItem{TInput}.Id"/> as <c>custom_id</c>), uploads it with purpose
/// <c>batch</c>, creates the batch on <c>/v1/chat/completions</c> with the <c>24h</c> window, polls it until it ends,
/// downloads the output and error files and maps every line back to its item.
/// </summary>
/// <remarks>
/// <para>
/// The results are in input order. A batch that <c>completed</c> gives every item <see cref="BatchItemStatus.Succeeded"/>
/// (with its <see cref="ChatResponse"/>) or <see cref="BatchItemStatus.Failed"/> (with the line's error); one that
/// <c>expired</c> or was <c>cancelled</c> gives the answered items as such and the rest <see cref="BatchItemStatus.NotRun"/>.
/// A batch that <c>failed</c> validation throws <see cref="InvalidOperationException"/> with the provider's errors.
/// Cancelling the token cancels the remote batch (best effort) and throws <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// With a usage ledger, every answered line is recorded once (operation <c>chat</c>, caller tag <see cref="UsageCallerTag"/>)
/// with its tokens and, when the price table has the model, the cost times <see cref="OpenAIBatchChatClientOptions.BatchDiscount"/>.
/// </para>
/// </remarks>
public sealed class OpenAIBatchChatClient
{
    /// <summary>The caller tag of the usage records of answered lines.</summary>
    public const string UsageCallerTag = "openai-batch";

    private readonly OpenAIFileClient _files;
    private readonly BatchClient _batches;
    private readonly OpenAIBatchChatClientOptions _options;
    private readonly IUsageLedger? _ledger;
    private readonly IReadOnlyDictionary<string, ModelPrice>? _prices;

    /// <summary>Initializes a new instance of the <see cref="OpenAIBatchChatClient"/> class.</summary>
    /// <param name="client">The OpenAI client whose file and batch clients are used.</param>
    /// <param name="options">The options; the instance keeps a copy.</param>
    /// <param name="ledger">The ledger answered lines are recorded in, or <see langword="null"/>.</param>
    /// <param name="prices">The prices per model (as in <c>UsageTrackingOptions.Prices</c>), or <see langword="null"/> to record no cost.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public OpenAIBatchChatClient(OpenAIClient client, OpenAIBatchChatClientOptions options, IUsageLedger? ledger = null, IReadOnlyDictionary<string, ModelPrice>? prices = null)
    {
        Throw.IfNull(client);
        _options = Throw.IfNull(options).Clone();
        _options.Validate();
        _files = client.GetOpenAIFileClient();
        _batches = client.GetBatchClient();
        _ledger = ledger;
        _prices = prices;
    }

    /// <summary>Runs one user prompt per item through the Batch API.</summary>
    /// <param name="items">The items; their ids must be unique and not empty.</param>
    /// <param name="options">The chat options of every line (<c>ModelId</c>, <c>Temperature</c>, <c>MaxOutputTokens</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run and, best effort, the remote batch.</param>
    /// <returns>One result per item, in input order.</returns>
    /// <exception cref="ArgumentException">An item is <see langword="null"/>, or its id is empty or repeated.</exception>
    /// <exception cref="InvalidOperationException">The batch failed; the message lists the provider's errors.</exception>
    /// <exception cref="TimeoutException">The batch did not end within <see cref="OpenAIBatchChatClientOptions.Timeout"/>; it was cancelled.</exception>
    public Task<IReadOnlyList<BatchItemResult<ChatResponse>>> RunPromptsAsync(IReadOnlyList<BatchItem<string>> items, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(items);
        return RunAsync([.. items.Select(i => i is null ? null! : new BatchItem<IList<ChatMessage>>(i.Id, [new ChatMessage(ChatRole.User, i.Input)]))], options, cancellationToken);
    }

    /// <summary>Runs one conversation per item through the Batch API.</summary>
    /// <param name="items">The items; their ids must be unique and not empty.</param>
    /// <param name="options">The chat options of every line (<c>ModelId</c>, <c>Temperature</c>, <c>MaxOutputTokens</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run and, best effort, the remote batch.</param>
    /// <returns>One result per item, in input order.</returns>
    /// <exception cref="ArgumentException">An item is <see langword="null"/>, or its id is empty or repeated.</exception>
    /// <exception cref="InvalidOperationException">The batch failed; the message lists the provider's errors.</exception>
    /// <exception cref="TimeoutException">The batch did not end within <see cref="OpenAIBatchChatClientOptions.Timeout"/>; it was cancelled.</exception>
    public async Task<IReadOnlyList<BatchItemResult<ChatResponse>>> RunAsync(IReadOnlyList<BatchItem<IList<ChatMessage>>> items, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(items);
        var model = options?.ModelId ?? _options.Model!;
        var jsonl = BuildJsonl(items, model, options);

        using var stream = new MemoryStream(jsonl);
        OpenAIFile input = await _files.UploadFileAsync(stream, "aieng-batch.jsonl", FileUploadPurpose.Batch, cancellationToken).ConfigureAwait(false);
        var request = BinaryContent.Create(BinaryData.FromObjectAsJson(new Dictionary<string, string>
        {
            ["input_file_id"] = input.Id,
            ["endpoint"] = "/v1/chat/completions",
            ["completion_window"] = "24h",
        }));
        var operation = await _batches.CreateBatchAsync(request, waitUntilCompleted: false, Request(cancellationToken)).ConfigureAwait(false);
        var batch = await PollAsync(operation, cancellationToken).ConfigureAwait(false);

        var status = batch.GetProperty("status").GetString();
        if (status == "failed")
        {
            throw new InvalidOperationException($"The OpenAI batch '{operation.BatchId}' of {items.Count} requests failed: {DescribeErrors(batch)} Fix the input and run the batch again.");
        }

        var answers = new Dictionary<string, BatchItemResult<ChatResponse>>(StringComparer.Ordinal);
        var byId = items.Select((item, index) => (item.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        foreach (var fileId in new[] { OptionalString(batch, "output_file_id"), OptionalString(batch, "error_file_id") })
        {
            if (fileId is null)
            {
                continue;
            }

            var content = (await _files.DownloadFileAsync(fileId, cancellationToken).ConfigureAwait(false)).Value.ToString();
            foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (OptionalString(root, "custom_id") is { } id && byId.TryGetValue(id, out var index))
                {
                    answers[id] = ReadLine(id, index, root, model);
                }
            }
        }

        var notRun = $"The OpenAI batch '{operation.BatchId}' ended '{status}' before this request was answered.";
        return [.. items.Select((item, index) => answers.TryGetValue(item.Id, out var answer)
            ? answer
            : new BatchItemResult<ChatResponse>(item.Id, index, BatchItemStatus.NotRun, null, notRun, resumed: false))];
    }

    private static byte[] BuildJsonl(IReadOnlyList<BatchItem<IList<ChatMessage>>> items, string model, ChatOptions? options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"The batch item at index {i} is null.", nameof(items));
            if (string.IsNullOrWhiteSpace(item.Id))
            {
                throw new ArgumentException($"The batch item at index {i} has an empty id; OpenAI's Batch API maps answers back by id (custom_id), so every item needs a unique, non-empty id.", nameof(items));
            }

            if (!seen.Add(item.Id))
            {
                throw new ArgumentException($"The batch item id '{item.Id}' at index {i} is used by an earlier item; OpenAI's Batch API maps answers back by id (custom_id), so ids must be unique.", nameof(items));
            }

            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("custom_id", item.Id);
                writer.WriteString("method", "POST");
                writer.WriteString("url", "/v1/chat/completions");
                writer.WriteStartObject("body");
                writer.WriteString("model", model);
                writer.WriteStartArray("messages");
                foreach (var message in item.Input ?? [])
                {
                    writer.WriteStartObject();
                    writer.WriteString("role", message.Role.Value);
                    writer.WriteString("content", message.Text);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (options?.Temperature is { } temperature)
                {
                    writer.WriteNumber("temperature", temperature);
                }

                if (options?.MaxOutputTokens is { } maxTokens)
                {
                    writer.WriteNumber("max_completion_tokens", maxTokens);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private async Task<JsonElement> PollAsync(CreateBatchOperation operation, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        try
        {
            while (true)
            {
                ClientResult result = await operation.GetBatchAsync(Request(cancellationToken)).ConfigureAwait(false);
                using var document = JsonDocument.Parse(result.GetRawResponse().Content);
                var batch = document.RootElement.Clone();
                if (batch.GetProperty("status").GetString() is "completed" or "failed" or "expired" or "cancelled")
                {
                    return batch;
                }

                if (time.GetElapsedTime(started) >= _options.Timeout)
                {
                    await CancelRemoteAsync(operation).ConfigureAwait(false);
                    throw new TimeoutException($"The OpenAI batch '{operation.BatchId}' did not end within {_options.Timeout} (OpenAIBatchChatClientOptions.Timeout); it was cancelled.");
                }

                if (_options.PollInterval > TimeSpan.Zero)
                {
                    await Task.Delay(_options.PollInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelRemoteAsync(operation).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CancelRemoteAsync(CreateBatchOperation operation)
    {
        try
        {
            await operation.CancelAsync(null).ConfigureAwait(false);
        }
        catch (ClientResultException)
        {
            // Best effort: the batch may have ended meanwhile.
        }
    }

    private BatchItemResult<ChatResponse> ReadLine(string id, int index, JsonElement line, string model)
    {
        if (line.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            var statusCode = response.TryGetProperty("status_code", out var code) && code.TryGetInt32(out var number) ? number : 0;
            var body = response.TryGetProperty("body", out var b) ? b : default;
            if (statusCode == 200 && body.ValueKind == JsonValueKind.Object)
            {
                var chat = ReadCompletion(body, model);
                Record(chat);
                return new BatchItemResult<ChatResponse>(id, index, BatchItemStatus.Succeeded, chat, null, resumed: false);
            }

            var message = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) ? OptionalString(error, "message") : null;
            return new BatchItemResult<ChatResponse>(id, index, BatchItemStatus.Failed, null, string.Create(CultureInfo.InvariantCulture, $"HTTP {statusCode}: {message ?? "no error message"}"), resumed: false);
        }

        var lineError = line.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var text = lineError.ValueKind == JsonValueKind.Object
            ? $"{OptionalString(lineError, "code") ?? "error"}: {OptionalString(lineError, "message")}"
            : "The batch reported the request as failed without an error.";
        return new BatchItemResult<ChatResponse>(id, index, BatchItemStatus.Failed, null, text, resumed: false);
    }

    private static ChatResponse ReadCompletion(JsonElement body, string model)
    {
        var choice = body.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0 ? choices[0] : default;
        var content = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var message) ? OptionalString(message, "content") : null;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, content ?? string.Empty))
        {
            ResponseId = OptionalString(body, "id"),
            ModelId = OptionalString(body, "model") ?? model,
            FinishReason = choice.ValueKind == JsonValueKind.Object && OptionalString(choice, "finish_reason") is { } reason ? new ChatFinishReason(reason) : null,
        };
        if (body.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            response.Usage = new UsageDetails
            {
                InputTokenCount = OptionalLong(usage, "prompt_tokens"),
                OutputTokenCount = OptionalLong(usage, "completion_tokens"),
                TotalTokenCount = OptionalLong(usage, "total_tokens"),
                CachedInputTokenCount = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object ? OptionalLong(details, "cached_tokens") : null,
            };
        }

        return response;
    }

    private void Record(ChatResponse response)
    {
        if (_ledger is null)
        {
            return;
        }

        var model = response.ModelId!;
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        var cached = response.Usage?.CachedInputTokenCount ?? 0;
        var price = _prices is null ? null : ModelPrice.Find(_prices, model);
        _ledger.Record(new UsageRecord
        {
            Timestamp = _options.TimeProvider.GetUtcNow(),
            Operation = UsageOperations.Chat,
            Provider = OpenAIModelProvider.ProviderName,
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            CachedInputTokens = cached,
            Cost = price?.GetCost(input, output, cached) * _options.BatchDiscount,
            CallerTag = UsageCallerTag,
        });
    }

    private static string DescribeErrors(JsonElement batch)
    {
        if (!batch.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object
            || !errors.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return "the provider gave no errors.";
        }

        var text = new StringBuilder();
        foreach (var error in data.EnumerateArray())
        {
            var line = error.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number ? string.Create(CultureInfo.InvariantCulture, $" (line {l.GetInt32()})") : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{OptionalString(error, "code") ?? "error"}{line}: {OptionalString(error, "message")} ");
        }

        return text.ToString().TrimEnd();
    }

    private static RequestOptions Request(CancellationToken cancellationToken) => new() { CancellationToken = cancellationToken };

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? OptionalLong(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
