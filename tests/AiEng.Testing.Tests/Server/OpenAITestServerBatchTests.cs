#pragma warning disable OPENAI001 // The OpenAI client's batch API is experimental.

using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI.Batch;
using OpenAI.Files;

namespace AiEng.Testing.Tests;

public sealed class OpenAITestServerBatchTests
{
    private static string Line(string customId, string text) =>
        JsonSerializer.Serialize(new { custom_id = customId, method = "POST", url = "/v1/chat/completions", body = new { model = "m", messages = new[] { new { role = "user", content = text } } } });

    private static readonly string Jsonl = Line("a", "one two") + "\n" + Line("b", "three") + "\n" + Line("c", "four five six") + "\n";

    private static async Task<(BatchClient Batches, OpenAIFileClient Files, string InputFileId)> UploadAsync(OpenAITestServer server, string jsonl)
    {
        var client = OpenAIClients.Create(server);
        var files = client.GetOpenAIFileClient();
        OpenAIFile input = await files.UploadFileAsync(BinaryData.FromString(jsonl), "batch.jsonl", FileUploadPurpose.Batch);
        return (client.GetBatchClient(), files, input.Id);
    }

    private static BinaryContent CreateBody(string inputFileId, string endpoint = "/v1/chat/completions", string window = "24h") =>
        BinaryContent.Create(BinaryData.FromObjectAsJson(new { input_file_id = inputFileId, endpoint, completion_window = window }));

    private static async Task<JsonElement> PollAsync(CreateBatchOperation operation) =>
        JsonDocument.Parse((await operation.GetBatchAsync(null)).GetRawResponse().Content).RootElement.Clone();

    private static async Task<List<JsonElement>> ReadLinesAsync(OpenAIFileClient files, string fileId)
    {
        var content = (await files.DownloadFileAsync(fileId)).Value.ToString();
        return [.. content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    [Fact]
    public async Task Answers_every_line_through_the_chat_handler_and_completes_one_poll_at_a_time()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ChatHandler = (request, _) => ValueTask.FromResult(new OpenAITestChatReply("echo: " + request.Messages[^1].Content)) });
        server.BatchScript = _ => new OpenAITestBatchScript { ValidatingPolls = 1, InProgressPolls = 1 };
        var (batches, files, inputFileId) = await UploadAsync(server, Jsonl);

        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        var created = JsonDocument.Parse(operation.GetRawResponse().Content).RootElement;

        Assert.Equal("validating", created.GetProperty("status").GetString());
        Assert.Equal(inputFileId, created.GetProperty("input_file_id").GetString());
        Assert.Equal("validating", (await PollAsync(operation)).GetProperty("status").GetString());
        var running = await PollAsync(operation);
        Assert.Equal("in_progress", running.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("output_file_id").ValueKind);
        var done = await PollAsync(operation);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("request_counts").GetProperty("total").GetInt32());
        Assert.Equal(3, done.GetProperty("request_counts").GetProperty("completed").GetInt32());
        Assert.Equal(0, done.GetProperty("request_counts").GetProperty("failed").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error_file_id").ValueKind);

        var output = await ReadLinesAsync(files, done.GetProperty("output_file_id").GetString()!);
        Assert.Equal(["a", "b", "c"], output.Select(line => line.GetProperty("custom_id").GetString()));
        var first = output[0].GetProperty("response");
        Assert.Equal(200, first.GetProperty("status_code").GetInt32());
        Assert.Equal("echo: one two", first.GetProperty("body").GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, first.GetProperty("body").GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Contains(server.Files, f => f.Purpose == "batch_output");
    }

    [Fact]
    public async Task Reports_scripted_failed_lines_in_the_error_file_and_bad_bodies_in_the_output_file()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.BatchScript = _ => OpenAITestBatchScript.Completing(inProgressPolls: 0, "b");
        var badBody = JsonSerializer.Serialize(new { custom_id = "d", method = "POST", url = "/v1/chat/completions", body = new { model = "m" } });
        var (batches, files, inputFileId) = await UploadAsync(server, Jsonl + badBody + "\n");

        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        var done = await PollAsync(operation);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("request_counts").GetProperty("completed").GetInt32());
        Assert.Equal(2, done.GetProperty("request_counts").GetProperty("failed").GetInt32());
        var errors = await ReadLinesAsync(files, done.GetProperty("error_file_id").GetString()!);
        var error = Assert.Single(errors);
        Assert.Equal("b", error.GetProperty("custom_id").GetString());
        Assert.Equal("invalid_request", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'b'", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var output = await ReadLinesAsync(files, done.GetProperty("output_file_id").GetString()!);
        Assert.Equal(["a", "c", "d"], output.Select(line => line.GetProperty("custom_id").GetString()));
        var bad = output[2].GetProperty("response");
        Assert.Equal(400, bad.GetProperty("status_code").GetInt32());
        Assert.Contains("messages", bad.GetProperty("body").GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expires_with_the_output_of_the_lines_answered_before()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.BatchScript = _ => OpenAITestBatchScript.Expiring(completedLines: 1);
        var (batches, files, inputFileId) = await UploadAsync(server, Jsonl);

        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        await PollAsync(operation);
        var done = await PollAsync(operation);

        Assert.Equal("expired", done.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("expired_at").ValueKind);
        Assert.Equal(3, done.GetProperty("request_counts").GetProperty("total").GetInt32());
        Assert.Equal(1, done.GetProperty("request_counts").GetProperty("completed").GetInt32());
        var output = await ReadLinesAsync(files, done.GetProperty("output_file_id").GetString()!);
        Assert.Equal("a", Assert.Single(output).GetProperty("custom_id").GetString());
    }

    [Fact]
    public async Task Fails_validation_of_an_input_file_with_duplicate_ids_or_broken_lines_naming_the_lines()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var (batches, _, inputFileId) = await UploadAsync(server, Line("a", "x") + "\nnot json\n" + Line("a", "y") + "\n");

        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        var done = await PollAsync(operation);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("output_file_id").ValueKind);
        var errors = done.GetProperty("errors").GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["invalid_json_line", "duplicate_custom_id"], errors.Select(e => e.GetProperty("code").GetString()));
        Assert.Equal([2, 3], errors.Select(e => e.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task Fails_as_scripted_with_the_scripted_error()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.BatchScript = _ => OpenAITestBatchScript.Failing("token_limit_exceeded", "Enqueued token limit reached.");
        var (batches, _, inputFileId) = await UploadAsync(server, Jsonl);

        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        var done = await PollAsync(operation);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        var error = Assert.Single(done.GetProperty("errors").GetProperty("data").EnumerateArray());
        Assert.Equal("token_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("Enqueued token limit reached.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cancels_a_batch_that_has_not_ended_and_refuses_to_cancel_one_that_has()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.BatchScript = _ => new OpenAITestBatchScript { InProgressPolls = 5 };
        var (batches, _, inputFileId) = await UploadAsync(server, Jsonl);
        var operation = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        await PollAsync(operation);

        var cancelled = JsonDocument.Parse((await operation.CancelAsync(null)).GetRawResponse().Content).RootElement;

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("output_file_id").ValueKind);
        Assert.Equal("cancelled", (await PollAsync(operation)).GetProperty("status").GetString());
        var again = await Assert.ThrowsAsync<ClientResultException>(() => operation.CancelAsync(null));
        Assert.Equal(400, again.Status);
    }

    [Fact]
    public async Task Rejects_an_unknown_input_file_and_an_unsupported_endpoint_or_window()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var (batches, _, inputFileId) = await UploadAsync(server, Jsonl);

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => batches.CreateBatchAsync(CreateBody("file-nope"), waitUntilCompleted: false));
        var endpoint = await Assert.ThrowsAsync<ClientResultException>(() => batches.CreateBatchAsync(CreateBody(inputFileId, endpoint: "/v1/embeddings"), waitUntilCompleted: false));
        var window = await Assert.ThrowsAsync<ClientResultException>(() => batches.CreateBatchAsync(CreateBody(inputFileId, window: "1h"), waitUntilCompleted: false));

        Assert.Contains("file-nope", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/embeddings", endpoint.Message, StringComparison.Ordinal);
        Assert.Contains("24h", window.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_batches_newest_first()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var (batches, _, inputFileId) = await UploadAsync(server, Jsonl);
        var first = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        var second = await batches.CreateBatchAsync(CreateBody(inputFileId), waitUntilCompleted: false);
        using var http = new HttpClient();

        var list = await http.GetFromJsonAsync<JsonElement>(new Uri(server.BaseAddress, "batches"));

        Assert.Equal([second.BatchId, first.BatchId], list.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.False(list.GetProperty("has_more").GetBoolean());
    }
}
