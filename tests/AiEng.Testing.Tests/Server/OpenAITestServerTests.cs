using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Testing.Tests;

public sealed class OpenAITestServerTests
{
    [Fact]
    public async Task Listens_on_loopback_with_a_base_address_ending_in_v1()
    {
        await using var server = await OpenAITestServer.StartAsync();

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        Assert.EndsWith("/v1/", server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_a_chat_with_the_default_echo_and_word_count_usage()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var chat = OpenAIClients.Chat(server);

        var response = await chat.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "hello there")]);

        Assert.Equal("Echo: hello there", response.Text);
        Assert.Equal("m", response.ModelId);
        Assert.Equal(4, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(7, response.Usage?.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Passes_the_parsed_request_to_the_chat_handler_and_maps_its_usage_into_UsageDetails()
    {
        OpenAITestChatRequest? received = null;
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            ChatHandler = (request, _) =>
            {
                received = request;
                return ValueTask.FromResult(new OpenAITestChatReply("Paris.") { PromptTokens = 120, CompletionTokens = 3, CachedTokens = 100, FinishReason = "length" });
            },
        });
        var chat = OpenAIClients.Chat(server, "gpt-test");

        var response = await chat.GetResponseAsync(
            [new(ChatRole.System, "Answer in one word."), new(ChatRole.User, "Capital of France?")],
            new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 16 });

        Assert.Equal("Paris.", response.Text);
        Assert.Equal(120, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(123, response.Usage?.TotalTokenCount);
        Assert.Equal(100, response.Usage?.CachedInputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.NotNull(received);
        Assert.Equal("gpt-test", received.Model);
        Assert.False(received.Stream);
        Assert.Equal([new("system", "Answer in one word."), new("user", "Capital of France?")], received.Messages);
        Assert.Equal("Capital of France?", received.LastUserMessage);
        Assert.Equal(0.5, received.Temperature!.Value, 3);
        Assert.Equal(16, received.MaxTokens);
    }

    [Fact]
    public async Task Streams_a_chat_word_by_word_with_a_final_usage_chunk()
    {
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("one two three") { PromptTokens = 10, CompletionTokens = 3, CachedTokens = 4 }),
        });
        var chat = OpenAIClients.Chat(server);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("count"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("one two three", response.Text);
        Assert.Equal(["one", " two", " three"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Equal(10, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(4, response.Usage?.CachedInputTokenCount);
        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Sends_server_sent_events_ending_in_DONE_and_no_usage_chunk_unless_asked()
    {
        await using var server = await OpenAITestServer.StartAsync();
        using var http = new HttpClient();

        var withoutUsage = await PostAsync(http, server, "chat/completions", """{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var withUsage = await PostAsync(http, server, "chat/completions", """{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        var events = DataEvents(withoutUsage);
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.Equal("chat.completion.chunk", JsonDocument.Parse(e).RootElement.GetProperty("object").GetString()));
        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
        var usageEvent = JsonDocument.Parse(DataEvents(withUsage)[^2]).RootElement;
        Assert.Equal(0, usageEvent.GetProperty("choices").GetArrayLength());
        Assert.Equal(1, usageEvent.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, usageEvent.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Writes_OpenAI_chat_completion_json_shapes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var server = await OpenAITestServer.StartAsync(new() { TimeProvider = time });
        using var http = new HttpClient();

        var json = JsonDocument.Parse(await PostAsync(http, server, "chat/completions", """{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a b"}]}]}""")).RootElement;

        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds(), json.GetProperty("created").GetInt64());
        Assert.Equal("m", json.GetProperty("model").GetString());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Echo: a b", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task Serves_embeddings_to_the_official_client_as_hashed_bags_of_words_by_default()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var generator = OpenAIClients.Embeddings(server);

        var embeddings = await generator.GenerateAsync(["the cat sat", "a dog ran"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(TestVectors.HashedBagOfWords("the cat sat", 64), embeddings[0].Vector.ToArray());
        Assert.Equal(TestVectors.HashedBagOfWords("a dog ran", 64), embeddings[1].Vector.ToArray());
        Assert.Equal(6, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Answers_base64_when_the_client_asks_for_it_as_the_official_client_does_by_default()
    {
        var formats = new List<string>();
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            EmbeddingHandler = (request, _) =>
            {
                formats.Add(request.EncodingFormat);
                return ValueTask.FromResult<IReadOnlyList<float[]>>([[0.25f, -1.5f, 3f]]);
            },
        });
        var generator = OpenAIClients.Embeddings(server);

        var embedding = await generator.GenerateAsync("x");

        Assert.Equal([0.25f, -1.5f, 3f], embedding.Vector.ToArray());
        Assert.Equal(["base64"], formats);
    }

    [Fact]
    public async Task Answers_float_arrays_when_no_encoding_is_asked_for()
    {
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            EmbeddingHandler = (request, _) => ValueTask.FromResult<IReadOnlyList<float[]>>([.. request.Inputs.Select(i => new float[] { i.Length, 0.5f })]),
        });
        using var http = new HttpClient();

        var json = JsonDocument.Parse(await PostAsync(http, server, "embeddings", """{"model":"e","input":"abcd"}""")).RootElement;

        Assert.Equal("list", json.GetProperty("object").GetString());
        var data = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", data.GetProperty("object").GetString());
        Assert.Equal(0, data.GetProperty("index").GetInt32());
        Assert.Equal([4f, 0.5f], data.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal("e", json.GetProperty("model").GetString());
        Assert.Equal(1, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Honours_requested_embedding_dimensions_in_the_default_handler()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var generator = OpenAIClients.Embeddings(server);

        var embedding = await generator.GenerateAsync("hello", new EmbeddingGenerationOptions { Dimensions = 8 });

        Assert.Equal(TestVectors.HashedBagOfWords("hello", 8), embedding.Vector.ToArray());
    }

    [Fact]
    public async Task Lists_the_configured_models()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { Models = ["alpha", "beta"] });
        var models = OpenAIClients.Create(server).GetOpenAIModelClient();

        var list = await models.GetModelsAsync();
        var one = await models.GetModelAsync("beta");

        Assert.Equal(["alpha", "beta"], list.Value.Select(m => m.Id));
        Assert.Equal("beta", one.Value.Id);
        Assert.Equal("aieng-test", one.Value.OwnedBy);
    }

    [Fact]
    public async Task Surfaces_a_429_fault_with_Retry_After_as_a_ClientResultException()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.RateLimited(TimeSpan.FromSeconds(1.2)));
        var chat = OpenAIClients.Chat(server);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync("hi"));

        Assert.Equal(429, error.Status);
        var raw = error.GetRawResponse();
        Assert.NotNull(raw);
        Assert.True(raw.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("2", retryAfter);
        Assert.Contains("rate_limit_exceeded", raw.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal("Echo: hi", (await chat.GetResponseAsync("hi")).Text);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Writes_an_OpenAI_error_body_with_the_fault_message()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(new OpenAITestFault { StatusCode = 400, ErrorMessage = "context too long", ErrorCode = "context_length_exceeded" });
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(server.BaseAddress, "chat/completions"), new StringContent("{}", Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context too long", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Applies_a_fault_only_to_its_path_and_only_as_many_times_as_queued()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.Status(503), OpenAITestServer.EmbeddingsPath, count: 2);
        var chat = OpenAIClients.Chat(server);
        var generator = OpenAIClients.Embeddings(server);

        Assert.Equal("Echo: hi", (await chat.GetResponseAsync("hi")).Text);
        Assert.Equal(503, (await Assert.ThrowsAsync<ClientResultException>(() => generator.GenerateAsync(["a"]))).Status);
        Assert.Equal(1, server.PendingFaultCount);
        Assert.Equal(503, (await Assert.ThrowsAsync<ClientResultException>(() => generator.GenerateAsync(["a"]))).Status);
        Assert.Single(await generator.GenerateAsync(["a"]));
        Assert.Equal(0, server.PendingFaultCount);
    }

    [Fact]
    public async Task Drops_the_connection_without_a_response()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.DroppedConnection());
        var chat = OpenAIClients.Chat(server);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync("hi"));

        // No HTTP status: the client surfaces the transport failure, with the HttpRequestException inside.
        Assert.Equal(0, error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("Echo: again", (await chat.GetResponseAsync("again")).Text);
    }

    [Fact]
    public async Task Breaks_a_stream_after_the_given_number_of_chunks()
    {
        await using var server = await OpenAITestServer.StartAsync(new()
        {
            ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("one two three four")),
        });
        server.EnqueueFault(OpenAITestFault.BrokenStream(afterChunks: 3));
        var chat = OpenAIClients.Chat(server);

        var texts = new List<string>();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync("go"))
            {
                texts.Add(update.Text);
            }
        });

        // Event 1 carries the role, events 2 and 3 the first two words; the fourth event is never sent.
        Assert.Equal("one two", string.Concat(texts));
        Assert.Equal("one two three four", (await chat.GetStreamingResponseAsync("again").ToChatResponseAsync()).Text);
    }

    [Fact]
    public async Task Waits_for_a_delay_fault_then_answers_normally()
    {
        await using var server = await OpenAITestServer.StartAsync();
        server.EnqueueFault(OpenAITestFault.Delayed(TimeSpan.FromMilliseconds(20)));
        var chat = OpenAIClients.Chat(server);

        var response = await chat.GetResponseAsync("hi");

        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal(0, server.PendingFaultCount);
    }

    [Fact]
    public async Task Delays_on_the_server_clock_so_a_client_can_cancel_while_waiting()
    {
        var time = new FakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(new() { TimeProvider = time });
        server.EnqueueFault(OpenAITestFault.Delayed(TimeSpan.FromHours(1)));
        var chat = OpenAIClients.Chat(server);
        using var cancellation = new CancellationTokenSource();

        var call = chat.GetResponseAsync("hi", cancellationToken: cancellation.Token);
        while (server.RequestCount == 0)
        {
            await Task.Delay(1);
        }

        Assert.False(call.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task Requires_the_configured_api_key_and_never_records_it()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ApiKey = "sk-secret-123" });

        var wrong = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIClients.Create(server, "sk-wrong").GetChatClient("m").AsIChatClient().GetResponseAsync("hi"));
        var right = await OpenAIClients.Create(server, "sk-secret-123").GetChatClient("m").AsIChatClient().GetResponseAsync("hi");

        Assert.Equal(401, wrong.Status);
        Assert.Equal("Echo: hi", right.Text);
        Assert.All(server.Requests, r => Assert.Equal("Bearer ***", r.Headers["Authorization"]));
        Assert.DoesNotContain(server.Requests, r => r.Headers.Values.Any(v => v.Contains("secret", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Records_method_path_body_headers_and_time_of_each_request()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await OpenAITestServer.StartAsync(new() { TimeProvider = time });

        await OpenAIClients.Chat(server).GetResponseAsync("hello");
        time.Advance(TimeSpan.FromMinutes(1));
        await OpenAIClients.Create(server).GetOpenAIModelClient().GetModelsAsync();

        var requests = server.Requests;
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(("POST", "/v1/chat/completions"), (requests[0].Method, requests[0].Path));
        Assert.Contains("\"hello\"", requests[0].Body, StringComparison.Ordinal);
        Assert.StartsWith("application/json", requests[0].Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromMinutes(1), requests[0].Timestamp);
        Assert.Equal(("GET", "/v1/models", string.Empty), (requests[1].Method, requests[1].Path, requests[1].Body));
        Assert.Equal(time.GetUtcNow(), requests[1].Timestamp);

        server.ClearRequests();
        Assert.Empty(server.Requests);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Reports_a_throwing_handler_as_a_500_that_names_the_exception()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { ChatHandler = (_, _) => throw new InvalidOperationException("boom") });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAIClients.Chat(server).GetResponseAsync("hi"));

        Assert.Equal(500, error.Status);
        Assert.Contains("InvalidOperationException: boom", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_unknown_paths_with_404_and_malformed_json_with_400()
    {
        await using var server = await OpenAITestServer.StartAsync();
        using var http = new HttpClient();

        using var notFound = await http.GetAsync(new Uri(server.BaseAddress, "assistants"));
        using var badJson = await http.PostAsync(new Uri(server.BaseAddress, "embeddings"), new StringContent("{not json", Encoding.UTF8, "application/json"));
        using var noModel = await http.PostAsync(new Uri(server.BaseAddress, "embeddings"), new StringContent("""{"input":"x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noModel.StatusCode);
        Assert.Contains("'model'", await noModel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_a_replaced_handler_for_later_requests()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var chat = OpenAIClients.Chat(server);

        server.ChatHandler = (request, _) => ValueTask.FromResult(new OpenAITestChatReply(request.LastUserMessage.ToUpperInvariant()));

        Assert.Equal("LOUD", (await chat.GetResponseAsync("loud")).Text);
    }

    [Fact]
    public async Task Rejects_inconsistent_faults_when_they_are_queued()
    {
        await using var server = await OpenAITestServer.StartAsync();

        Assert.Throws<ArgumentException>(() => server.EnqueueFault(new OpenAITestFault { StatusCode = 500, DropConnection = true }));
        Assert.Throws<ArgumentOutOfRangeException>(() => server.EnqueueFault(new OpenAITestFault { StatusCode = 200 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => server.EnqueueFault(OpenAITestFault.DroppedConnection(), count: 0));
        Assert.Equal(0, server.PendingFaultCount);
    }

    private static async Task<string> PostAsync(HttpClient http, OpenAITestServer server, string path, string json)
    {
        using var response = await http.PostAsync(new Uri(server.BaseAddress, path), new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static List<string> DataEvents(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new FormatException(e))];
}
