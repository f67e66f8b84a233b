using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiEng.Samples.WebChat;
using AiEng.Testing;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>The answer stream of <c>POST /api/ask</c> and the source pages, through <see cref="HttpClient"/>, offline.</summary>
public sealed class WebChatStreamTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>
{
    [Fact]
    public async Task An_answer_streams_in_pieces_then_its_citations_then_its_usage_then_done()
    {
        Answer answer = await fixture.Server.AskAsync("How long is the warranty of a router?");

        Assert.True(answer.OfType("token").Count() > 1, answer.Body);
        Assert.Contains("three years", answer.Text, StringComparison.Ordinal);
        Assert.Contains("no language model is configured", answer.Text, StringComparison.Ordinal);
        Assert.Empty(answer.OfType("error"));

        // Order: every token, then the citations, then usage, then done (last).
        Assert.True(answer.IndexOfLast("token") < answer.IndexOfFirst("citation"), answer.Body);
        Assert.True(answer.IndexOfLast("citation") < answer.IndexOfFirst("usage"), answer.Body);
        Assert.Equal("done", answer.Events[^1].Type);
        Assert.Single(answer.OfType("usage"));
        Assert.Single(answer.OfType("done"));

        JsonElement citation = Assert.Single(answer.OfType("citation"), e => e.Data.GetProperty("documentId").GetString() == "warranty.md").Data;
        Assert.Equal("Warranty > Routers", citation.GetProperty("headingPath").GetString());
        Assert.Equal("/source/" + citation.GetProperty("chunkId").GetString(), citation.GetProperty("link").GetString());
        string document = fixture.Document("warranty.md");
        Assert.Contains("three years", document[citation.GetProperty("startOffset").GetInt32()..citation.GetProperty("endOffset").GetInt32()], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_usage_event_counts_the_questions_embedding_and_the_chat_call_of_this_request_only()
    {
        // A question never asked before, so that its embedding is not in the disk cache.
        Answer answer = await fixture.Server.AskAsync("Where should the router be placed? " + Guid.NewGuid().ToString("N")[..6]);

        JsonElement usage = Assert.Single(answer.OfType("usage")).Data;
        Assert.Equal(2, usage.GetProperty("calls").GetInt32());
        Assert.True(usage.GetProperty("inputTokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("outputTokens").GetInt64() > 0);
        Assert.Equal(usage.GetProperty("inputTokens").GetInt64() + usage.GetProperty("outputTokens").GetInt64(), usage.GetProperty("totalTokens").GetInt64());
        Assert.Equal("USD", usage.GetProperty("currency").GetString());
        Assert.Equal(["all-MiniLM-L6-v2", "extractive-responder"], usage.GetProperty("unpriced").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task With_prices_configured_the_usage_event_carries_the_cost_of_the_request()
    {
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, new Dictionary<string, string?>
        {
            ["AiEng:Usage:Currency"] = "EUR",
            ["AiEng:Usage:Prices:extractive-responder:InputPerMillion"] = "1000",
            ["AiEng:Usage:Prices:extractive-responder:OutputPerMillion"] = "2000",
            ["AiEng:Usage:Prices:all-MiniLM-L6-v2:InputPerMillion"] = "0",
        });

        Answer answer = await server.AskAsync("How long are cables guaranteed?");

        JsonElement usage = Assert.Single(answer.OfType("usage")).Data;
        Assert.Equal("EUR", usage.GetProperty("currency").GetString());
        Assert.Empty(usage.GetProperty("unpriced").EnumerateArray());
        decimal cost = usage.GetProperty("cost").GetDecimal();
        Assert.True(cost > 0, answer.Body);

        // The chat call's tokens at 1000 and 2000 per million: the embedding is free, so the cost is the chat call's.
        long outputTokens = usage.GetProperty("outputTokens").GetInt64();
        Assert.True(cost >= outputTokens * 2000m / 1_000_000m, answer.Body);
    }

    [Fact]
    public async Task A_budget_that_is_exhausted_gives_an_error_event_with_a_readable_message_and_no_stack_trace()
    {
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, new Dictionary<string, string?>
        {
            ["AiEng:Usage:Budgets:tiny:MaxTokens"] = "10",
            ["AiEng:Usage:Budgets:tiny:Operation"] = "chat",
        });

        Answer answer = await server.AskAsync("How long is the warranty of a router?");

        string message = answer.ReadableError();
        Assert.StartsWith("This question was not sent to the model: The call would exceed usage budget 'tiny' (max tokens 10)", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Usage:Budgets:tiny", message, StringComparison.Ordinal);
        Assert.Empty(answer.OfType("token"));
    }

    [Fact]
    public async Task A_chat_provider_that_is_down_gives_an_error_event_that_says_which_setting_to_check()
    {
        var settings = new Dictionary<string, string?>(WebChatServer.QuickRetry)
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-test",
            ["AiEng:Chat:ApiKey"] = "sk-test",
            ["AiEng:Chat:Endpoint"] = $"http://127.0.0.1:{WebChatServer.ClosedPort()}/v1",
        };
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, settings);

        Answer answer = await server.AskAsync("How long is the warranty of a router?");

        string message = answer.ReadableError();
        Assert.StartsWith("The question could not be answered: ", message, StringComparison.Ordinal);
        Assert.Contains("could not reach the provider", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Endpoint", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_part_of_the_answer_keeps_the_tokens_sent_then_gives_an_error_event_usage_and_done()
    {
        await using OpenAITestServer provider = await OpenAITestServer.StartAsync();
        provider.ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("Routers have a warranty of three years, and cables of two years, as the warranty page says [1]."));
        provider.EnqueueFault(OpenAITestFault.BrokenStream(afterChunks: 3), OpenAITestServer.ChatCompletionsPath);
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, OpenAIChat(provider));

        Answer broken = await server.AskAsync("How long is the warranty of a router?");
        Answer next = await server.AskAsync("How long is the warranty of a router?");

        // What streamed before the break stays on the page, then one readable error (no citations for a cut answer).
        Assert.NotEmpty(broken.OfType("token"));
        Assert.True(broken.IndexOfLast("token") < broken.IndexOfFirst("error"), broken.Body);
        string brokenError = broken.ReadableError();
        Assert.True(brokenError.StartsWith("The question could not be answered: ", StringComparison.Ordinal), brokenError);
        Assert.Contains("streamed updates: the stream broke (HttpIOException)", brokenError, StringComparison.Ordinal);
        Assert.StartsWith(broken.Text, "Routers have a warranty of three years, and cables of two years, as the warranty page says [1].", StringComparison.Ordinal);

        // The server and the provider are fine afterwards: the next question is answered whole.
        Assert.Empty(next.OfType("error"));
        Assert.Equal("Routers have a warranty of three years, and cables of two years, as the warranty page says [1].", next.Text);
    }

    [Theory]
    [InlineData("length", "The answer was cut short at the model's output-token limit (finish reason: length).")]
    [InlineData("content_filter", "The model's content filter stopped the answer part way (finish reason: content_filter)")]
    public async Task An_answer_the_model_stopped_before_its_end_keeps_its_text_and_says_why_in_a_notice(string finishReason, string expected)
    {
        await using OpenAITestServer provider = await OpenAITestServer.StartAsync();
        provider.ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("Routers have a warranty of three") { FinishReason = finishReason });
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, OpenAIChat(provider));

        Answer answer = await server.AskAsync("How long is the warranty of a router?");

        Assert.Empty(answer.OfType("error"));
        Assert.Equal("Routers have a warranty of three", answer.Text);
        JsonElement notice = Assert.Single(answer.OfType("notice")).Data;
        Assert.Equal(finishReason, notice.GetProperty("reason").GetString());
        Assert.StartsWith(expected, notice.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(answer.IndexOfLast("token") < answer.IndexOfFirst("notice"), answer.Body);
        Assert.Equal(["usage", "done"], answer.Events.TakeLast(2).Select(e => e.Type));
    }

    [Theory]
    [InlineData("stop", "The model returned an answer with no text (finish reason: stop). Try again.")]
    [InlineData("content_filter", "The model's content filter stopped the answer before it began (finish reason: content_filter). Rephrase the question.")]
    public async Task An_answer_with_no_text_gives_an_error_event_with_its_finish_reason_not_a_blank_answer(string finishReason, string expected)
    {
        await using OpenAITestServer provider = await OpenAITestServer.StartAsync();
        provider.ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply(string.Empty) { FinishReason = finishReason });
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, OpenAIChat(provider));

        Answer answer = await server.AskAsync("How long is the warranty of a router?");

        Assert.Empty(answer.OfType("token"));
        Assert.Equal(expected, answer.ReadableError());
        Assert.Empty(answer.OfType("notice"));
    }

    [Fact]
    public async Task A_finished_answer_has_no_notice()
    {
        Answer answer = await fixture.Server.AskAsync("How long are cables guaranteed?");

        Assert.NotEmpty(answer.OfType("token"));
        Assert.Empty(answer.OfType("notice"));
    }

    [Fact]
    public async Task Questions_over_the_limit_a_minute_get_429_with_retry_after_and_a_readable_message_and_reach_no_model()
    {
        await using OpenAITestServer provider = await OpenAITestServer.StartAsync();
        provider.ChatHandler = (_, _) => ValueTask.FromResult(new OpenAITestChatReply("Three years [1]."));
        var settings = OpenAIChat(provider);
        settings[AskRateLimit.QuestionsPerMinuteKey] = "2";
        await using WebChatServer server = await WebChatServer.StartAsync(fixture.Paths, settings);

        Answer first = await server.AskAsync("How long is the warranty of a router?");
        Answer second = await server.AskAsync("How long is the warranty of a router?");
        using HttpResponseMessage third = await server.Client.PostAsJsonAsync("api/ask", new { question = "How long is the warranty of a router?" });

        Assert.Equal("Three years [1].", first.Text);
        Assert.Equal("Three years [1].", second.Text);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(int.Parse(Assert.Single(third.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture), 1, 60);
        Assert.StartsWith("Too many questions: at most 2 a minute from one address. Ask again in ", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, provider.Requests.Count);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task A_limit_that_is_not_a_whole_number_stops_the_start_naming_the_setting(string limit)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WebChatServer.StartAsync(fixture.Paths, new Dictionary<string, string?> { [AskRateLimit.QuestionsPerMinuteKey] = limit }));

        Assert.StartsWith($"WebChat:QuestionsPerMinute is '{limit}'; set it to a whole number", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> OpenAIChat(OpenAITestServer provider) => new(WebChatServer.QuickRetry)
    {
        ["AiEng:Chat:Provider"] = "OpenAI",
        ["AiEng:Chat:Model"] = "gpt-test",
        ["AiEng:Chat:ApiKey"] = "sk-test",
        ["AiEng:Chat:Endpoint"] = provider.BaseAddress.ToString(),
    };

    [Theory]
    [InlineData("   ", "The question is empty")]
    [InlineData(null, "The question is empty")]
    public async Task A_request_without_a_question_gives_an_error_event(string? question, string expected)
    {
        Answer answer = await fixture.Server.AskAsync(question!);

        Assert.Equal(["error", "done"], answer.Events.Select(e => e.Type));
        Assert.StartsWith(expected, answer.Events[0].Data.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follow_up_is_answered_from_the_conversation_sent_with_it()
    {
        Answer answer = await fixture.Server.AskAsync(
            "And what does it not cover?",
            [new AskTurn("user", "How long is the warranty of a router?"), new AskTurn("assistant", "Three years [1].")]);

        Assert.Empty(answer.OfType("error"));
        Assert.Contains("lightning", answer.Text, StringComparison.Ordinal);
        Assert.Contains(answer.OfType("citation"), e => e.Data.GetProperty("documentId").GetString() == "warranty.md");
    }

    [Fact]
    public async Task A_citation_link_shows_the_cited_chunk_html_encoded_and_an_unknown_one_is_not_found()
    {
        Answer answer = await fixture.Server.AskAsync("Can opened software be returned?");
        JsonElement citation = Assert.Single(answer.OfType("citation"), e => e.Data.GetProperty("documentId").GetString() == "returns.md").Data;

        string page = await fixture.Server.Client.GetStringAsync(citation.GetProperty("link").GetString()!.TrimStart('/'));

        Assert.Contains("<dd id=\"document\">returns.md</dd>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>software</b>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;software&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Unused products can be returned within 30 days", WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        using HttpResponseMessage missing = await fixture.Server.Client.GetAsync("source/" + Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Ask the question again", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_and_its_script_are_served()
    {
        string page = await fixture.Server.Client.GetStringAsync("");
        string script = await fixture.Server.Client.GetStringAsync("chat.js");

        Assert.Contains("<form id=\"ask\">", page, StringComparison.Ordinal);
        Assert.Contains("/api/ask", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }
}
