using System.Text.Json;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AiEng.Tests.Retrieval.Generation;

/// <summary>
/// Follow-up questions through <c>UseRetrieval</c>: "Tell me about the X200 router." then "and what about its price?" must
/// retrieve the X200's price, not the X500's, whether a model or the offline heuristic forms the query.
/// </summary>
public class ConversationQueryBuilderTests
{
    private const string FirstQuestion = "Tell me about the X200 router.";
    private const string FollowUp = "and what about its price?";
    private const string Standalone = "What is the price of the X200 router?";

    private static readonly ChunkRecord X200Features = Chunks.Record("x200", 0, "The X200 router supports Wi-Fi 6 and has four gigabit ports.");
    private static readonly ChunkRecord X200Price = Chunks.Record("x200", 1, "The X200 router costs 129 dollars; the price includes a two-year warranty and free shipping.");
    private static readonly ChunkRecord X500Features = Chunks.Record("x500", 0, "The X500 router supports Wi-Fi 7 and mesh networking.");
    // Shorter, so that the follow-up searched alone ("and what about its price?") ranks it first: the bug this feature fixes.
    private static readonly ChunkRecord X500Price = Chunks.Record("x500", 1, "The X500 price is 249 dollars.");

    private static List<ChatMessage> Conversation(string followUp = FollowUp) =>
    [
        new(ChatRole.System, "You are the shop's assistant."),
        new(ChatRole.User, FirstQuestion),
        new(ChatRole.Assistant, "The X200 is a Wi-Fi 6 router with four gigabit ports [1]."),
        new(ChatRole.User, followUp),
    ];

    private static KeywordRetriever Catalogue() => new([X200Features, X200Price, X500Features, X500Price]);

    private static bool IsRewrite(IEnumerable<ChatMessage> messages) =>
        messages.FirstOrDefault() is { } first && first.Role == ChatRole.System && first.Text == ConversationQueryOptions.DefaultInstructions;

    /// <summary>A client that condenses with <paramref name="rewrite"/> and answers anything else with <paramref name="answer"/>; every call is recorded.</summary>
    private static (TestChatClient Client, List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls) Scripted(Func<string> rewrite, string answer = "It costs 129 dollars [1].")
    {
        var calls = new List<(List<ChatMessage>, ChatOptions?)>();
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                calls.Add(([.. messages], options));
                string text = IsRewrite(messages) ? rewrite() : answer;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
            },
        };
        return (client, calls);
    }

    private static Action<RetrievalOptions> Condense(Action<RetrievalOptions>? more = null) => options =>
    {
        options.Top = 1;
        options.TokenCounter = new WordTokenCounter();
        options.ConversationQuery.Mode = ConversationQueryMode.Condense;
        more?.Invoke(options);
    };

    [Fact]
    public async Task A_follow_up_condensed_by_the_wrapped_model_retrieves_the_price_of_the_product_under_discussion()
    {
        var (model, calls) = Scripted(() => Standalone);
        using var client = model.AsBuilder().UseRetrieval(Catalogue(), Condense()).Build();
        List<ChatMessage> conversation = Conversation();

        var response = await client.GetResponseAsync(conversation, new ChatOptions { ModelId = "big" });

        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        var query = response.GetRetrievalQuery();
        Assert.NotNull(query);
        Assert.Equal((Standalone, FollowUp, RetrievalQueryMethod.Model, true), (query.Text, query.Question, query.Method, query.IsRewritten));

        Assert.Equal(2, calls.Count);
        var (rewriteMessages, rewriteOptions) = calls[0];
        Assert.Equal([ChatRole.System, ChatRole.User], rewriteMessages.Select(m => m.Role));
        Assert.Equal(
            "Conversation:\nUser: Tell me about the X200 router.\nAssistant: The X200 is a Wi-Fi 6 router with four gigabit ports [1].\n\n" +
            "Last message: and what about its price?\n\nStandalone query:",
            rewriteMessages[1].Text);
        Assert.Equal((0f, "big"), (rewriteOptions!.Temperature, rewriteOptions.ModelId));

        // The model answers the conversation as the user wrote it, with the X200's price as its source.
        var answered = calls[1].Messages;
        Assert.Same(conversation[^1], answered[^1]);
        Assert.Contains("129 dollars", answered[^2].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("249 dollars", answered[^2].Text, StringComparison.Ordinal);
        Assert.Equal(4, conversation.Count);
    }

    private static ChunkRecord ChunkOf(Citation citation) =>
        new[] { X200Features, X200Price, X500Features, X500Price }.Single(record => citation.ChunkKeys.Contains(record.Key));

    [Fact]
    public async Task A_separate_rewriting_client_condenses_with_its_own_options_and_the_calls_caller_tag()
    {
        var (answerer, answers) = Scripted(() => throw new InvalidOperationException("the answering model must not rewrite"));
        var (small, rewrites) = Scripted(() => "  1. \"What is the price of the X200 router?\"\n");
        using var client = answerer.AsBuilder().UseRetrieval(Catalogue(), Condense(o =>
        {
            o.ConversationQuery.ChatClient = small;
            o.ConversationQuery.ChatOptions = new ChatOptions { Temperature = 0.1f, MaxOutputTokens = 40 };
        })).Build();
        var callOptions = new ChatOptions { ModelId = "big", AdditionalProperties = new() { [UsageScope.CallerTagKey] = "support-bot" } };

        var response = await client.GetResponseAsync(Conversation(), callOptions);

        Assert.Equal(Standalone, response.GetRetrievalQuery()!.Text);
        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        var (_, options) = Assert.Single(rewrites);
        Assert.Equal((0.1f, 40, null), (options!.Temperature, options.MaxOutputTokens, options.ModelId));
        Assert.Equal("support-bot", options.AdditionalProperties![UsageScope.CallerTagKey]);
        Assert.False(IsRewrite(Assert.Single(answers).Messages));
    }

    [Fact]
    public async Task The_rewriting_call_is_recorded_by_usage_tracking_under_the_callers_tag()
    {
        var ledger = new UsageLedger();
        var (small, _) = Scripted(() => Standalone);
        IChatClient tracked = small.AsBuilder().UseUsageTracking(ledger).Build();
        var (answerer, _) = Scripted(() => "unused");
        using var client = answerer.AsBuilder().UseRetrieval(Catalogue(), Condense(o => o.ConversationQuery.ChatClient = tracked)).Build();

        using (UsageScope.Begin("support-bot"))
        {
            await client.GetResponseAsync(Conversation());
        }

        var record = Assert.Single(ledger.GetRecords());
        Assert.Equal(("support-bot", UsageOperations.Chat), (record.CallerTag, record.Operation));
    }

    [Fact]
    public async Task A_chat_model_named_in_the_options_is_resolved_from_the_services_by_key()
    {
        var (small, rewrites) = Scripted(() => Standalone);
        var (answerer, answers) = Scripted(() => "unused");
        using var services = new ServiceCollection().AddKeyedSingleton<IChatClient>("small", small).BuildServiceProvider();
        using var client = answerer.AsBuilder().UseRetrieval(Catalogue(), Condense(o => o.ConversationQuery.ChatModel = "small")).Build(services);

        var response = await client.GetResponseAsync(Conversation());

        Assert.Equal(Standalone, response.GetRetrievalQuery()!.Text);
        Assert.Single(rewrites);
        Assert.Single(answers);

        var missing = Assert.Throws<InvalidOperationException>(() =>
            answerer.AsBuilder().UseRetrieval(Catalogue(), Condense(o => o.ConversationQuery.ChatModel = "tiny")).Build(services));
        Assert.Contains("RetrievalOptions.ConversationQuery.ChatModel is 'tiny'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:tiny", missing.Message, StringComparison.Ordinal);

        var options = new RetrievalOptions();
        options.ConversationQuery.ChatModel = "small";
        var constructed = Assert.Throws<ArgumentException>("options", () => new RetrievalChatClient(answerer, Catalogue(), options));
        Assert.Contains("UseRetrieval", constructed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_configured_under_AiEng_ChatModels_condenses_and_the_offline_one_falls_back_to_the_heuristic()
    {
        var (answerer, answers) = Scripted(() => throw new InvalidOperationException("the answering model must not rewrite"));
        using var services = TestServices.Build(("AiEng:ChatModels:small:Provider", "Offline"));
        using var client = answerer.AsBuilder().UseRetrieval(Catalogue(), Condense(o => o.ConversationQuery.ChatModel = "small")).Build(services);

        var response = await client.GetResponseAsync(Conversation());

        // AiEng serves the named model by key; it is the extractive responder, which cannot rewrite, so the heuristic does.
        Assert.Equal(("and what about its price? X200 router", RetrievalQueryMethod.Heuristic), (response.GetRetrievalQuery()!.Text, response.GetRetrievalQuery()!.Method));
        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        Assert.Single(answers);
    }

    [Fact]
    public async Task Offline_the_heuristic_forms_the_query_and_the_extractive_responder_quotes_the_right_price()
    {
        using var client = new ExtractiveResponder(TiktokenTokenCounter.O200kBase).AsBuilder().UseRetrieval(Catalogue(), Condense()).Build();

        var response = await client.GetResponseAsync(Conversation());

        var query = response.GetRetrievalQuery()!;
        Assert.Equal(("and what about its price? X200 router", RetrievalQueryMethod.Heuristic), (query.Text, query.Method));
        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        Assert.Contains("129 dollars", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("249 dollars", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_heuristic_mode_never_calls_a_model_to_rewrite()
    {
        var (model, calls) = Scripted(() => throw new InvalidOperationException("no rewriting call expected"));
        using var client = model.AsBuilder().UseRetrieval(Catalogue(), Condense(o => o.ConversationQuery.Mode = ConversationQueryMode.Heuristic)).Build();

        var response = await client.GetResponseAsync(Conversation());

        Assert.Equal("and what about its price? X200 router", response.GetRetrievalQuery()!.Text);
        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        Assert.False(IsRewrite(Assert.Single(calls).Messages));
    }

    [Fact]
    public async Task The_last_message_mode_searches_the_follow_up_as_it_is_and_finds_the_wrong_price()
    {
        var (model, calls) = Scripted(() => Standalone);
        using var client = model.AsBuilder().UseRetrieval(Catalogue(), o => o.Top = 1).Build();

        var response = await client.GetResponseAsync(Conversation());

        var query = response.GetRetrievalQuery()!;
        Assert.Equal((FollowUp, RetrievalQueryMethod.LastMessage, false), (query.Text, query.Method, query.IsRewritten));
        Assert.Equal("x500#1", Chunks.Label(ChunkOf(Assert.Single(response.GetCitations()))));
        Assert.False(IsRewrite(Assert.Single(calls).Messages));
    }

    [Theory]
    [InlineData(ConversationQueryMode.Condense)]
    [InlineData(ConversationQueryMode.Heuristic)]
    public async Task The_first_question_of_a_conversation_is_searched_as_it_is_without_a_rewriting_call(ConversationQueryMode mode)
    {
        var (model, calls) = Scripted(() => throw new InvalidOperationException("no rewriting call expected"));
        var retriever = Chunks.Fixed([]);
        using var client = model.AsBuilder().UseRetrieval(retriever, o => o.ConversationQuery.Mode = mode).Build();
        List<ChatMessage> firstTurn = [new(ChatRole.System, "Be brief."), new(ChatRole.Assistant, "Hello! How can I help?"), new(ChatRole.User, "what about its price?")];

        var response = await client.GetResponseAsync(firstTurn);

        Assert.Equal("what about its price?", Assert.Single(retriever.Calls).Query);
        Assert.Equal(RetrievalQueryMethod.LastMessage, response.GetRetrievalQuery()!.Method);
        Assert.False(IsRewrite(Assert.Single(calls).Messages));
    }

    [Fact]
    public async Task A_failing_rewrite_is_logged_and_the_last_message_is_searched()
    {
        var failure = new HttpRequestException("Service unavailable");
        var (model, calls) = Scripted(() => throw failure, answer: "I do not know.");
        var retriever = Chunks.Fixed(new() { [FollowUp] = [X200Price] });
        var logger = new FakeLogger();
        using var client = new RetrievalChatClient(model, retriever, Options(ConversationQueryMode.Condense), logger);

        var response = await client.GetResponseAsync(Conversation());

        Assert.Equal("I do not know.", response.Text);
        Assert.Equal((FollowUp, RetrievalQueryMethod.Fallback), (response.GetRetrievalQuery()!.Text, response.GetRetrievalQuery()!.Method));
        Assert.Equal([FollowUp], retriever.Calls.Select(c => c.Query));
        Assert.Equal(2, calls.Count);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Same(failure, warning.Exception);
        Assert.Equal("RetrievalQueryRewriteFailed", warning.Id.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ```\n")]
    public async Task An_empty_rewrite_is_logged_and_the_last_message_is_searched(string reply)
    {
        var (model, _) = Scripted(() => reply);
        var retriever = Chunks.Fixed([]);
        var logger = new FakeLogger();
        using var client = new RetrievalChatClient(model, retriever, Options(ConversationQueryMode.Condense), logger);

        var response = await client.GetResponseAsync(Conversation());

        Assert.Equal((FollowUp, RetrievalQueryMethod.Fallback), (response.GetRetrievalQuery()!.Text, response.GetRetrievalQuery()!.Method));
        Assert.Equal("RetrievalQueryRewriteEmpty", Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning).Id.Name);
    }

    [Fact]
    public async Task Cancelling_during_the_rewrite_cancels_the_call_before_anything_is_retrieved()
    {
        using var cancellation = new CancellationTokenSource();
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Standalone)));
            },
        };
        var retriever = Chunks.Fixed([]);
        var logger = new FakeLogger();
        using var client = new RetrievalChatClient(model, retriever, Options(ConversationQueryMode.Condense), logger);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Conversation(), cancellationToken: cancellation.Token));

        Assert.Empty(retriever.Calls);
        Assert.Equal(1, model.CallCount);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task A_streamed_answer_ends_with_the_query_beside_the_citations()
    {
        var (model, calls) = Scripted(() => Standalone);
        using var client = model.AsBuilder().UseRetrieval(Catalogue(), Condense()).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation()))
        {
            updates.Add(update);
        }

        Assert.Equal(Standalone, updates[^1].GetRetrievalQuery()!.Text);
        Assert.Equal("x200#1", Chunks.Label(ChunkOf(Assert.Single(updates[^1].GetCitations()))));
        var response = updates.ToChatResponse();
        Assert.Equal((Standalone, RetrievalQueryMethod.Model), (response.GetRetrievalQuery()!.Text, response.GetRetrievalQuery()!.Method));
        Assert.Equal("It costs 129 dollars [1].", response.Text);
        Assert.True(IsRewrite(calls[0].Messages));
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task The_history_read_is_bounded_by_messages_and_by_tokens()
    {
        var (model, calls) = Scripted(() => Standalone);
        List<ChatMessage> longConversation =
        [
            new(ChatRole.User, "Tell me about the X500 router."),
            new(ChatRole.Assistant, "The X500 has Wi-Fi 7."),
            new(ChatRole.User, FirstQuestion),
            new(ChatRole.Tool, "a tool result"),
            new(ChatRole.Assistant, "one two three four five six seven eight nine ten"),
            new(ChatRole.User, FollowUp),
        ];

        using (var byCount = model.AsBuilder().UseRetrieval(Chunks.Fixed([]), Condense(o => o.ConversationQuery.MaxHistoryMessages = 2)).Build())
        {
            await byCount.GetResponseAsync(longConversation);
        }

        using (var byTokens = model.AsBuilder().UseRetrieval(Chunks.Fixed([]), Condense(o => o.ConversationQuery.MaxHistoryTokens = 14)).Build())
        {
            await byTokens.GetResponseAsync(longConversation);
        }

        var prompts = calls.Where(c => IsRewrite(c.Messages)).Select(c => c.Messages[1].Text).ToList();
        Assert.StartsWith("Conversation:\nUser: Tell me about the X200 router.\nAssistant: one two three four five six seven eight nine ten\n\nLast message:", prompts[0], StringComparison.Ordinal);
        // 11 words for the answer, then 3 left for the question before it: "User: Tell ..." is cut between words.
        Assert.StartsWith("Conversation:\nUser: Tell ...\nAssistant: one two three four five six seven eight nine ten\n\nLast message:", prompts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_conversation_query_options_are_refused_when_the_middleware_is_added()
    {
        var model = TestChatClient.Replying("x");
        var retriever = Chunks.Fixed([]);
        void Refused(Action<ConversationQueryOptions> configure, string named)
        {
            var error = Assert.Throws<ArgumentException>("options", () => model.AsBuilder().UseRetrieval(retriever, o => configure(o.ConversationQuery)));
            Assert.Contains("RetrievalOptions.ConversationQuery." + named, error.Message, StringComparison.Ordinal);
        }

        Refused(o => o.Mode = (ConversationQueryMode)7, "Mode");
        Refused(o => (o.ChatClient, o.ChatModel) = (model, "small"), "ChatClient");
        Refused(o => o.ChatModel = " ", "ChatModel");
        Refused(o => o.Instructions = "", "Instructions");
        Refused(o => o.MaxHistoryMessages = 0, "MaxHistoryMessages");
        Refused(o => o.MaxHistoryTokens = 0, "MaxHistoryTokens");
        Assert.Throws<ArgumentException>("options", () => model.AsBuilder().UseRetrieval(retriever, o => o.ConversationQuery = null!));
    }

    [Fact]
    public void The_query_is_read_back_after_a_JSON_round_trip()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
        {
            AdditionalProperties = new() { [RetrievalChatClient.QueryKey] = new RetrievalQuery { Text = Standalone, Question = FollowUp, Method = RetrievalQueryMethod.Model } },
        };

        var copy = JsonSerializer.Deserialize<ChatResponse>(JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions)!;

        var query = copy.GetRetrievalQuery();
        Assert.NotNull(query);
        Assert.Equal((Standalone, FollowUp, RetrievalQueryMethod.Model, true), (query.Text, query.Question, query.Method, query.IsRewritten));
        Assert.Null(new ChatResponse().GetRetrievalQuery());
    }

    private static RetrievalOptions Options(ConversationQueryMode mode)
    {
        var options = new RetrievalOptions { TokenCounter = new WordTokenCounter() };
        options.ConversationQuery.Mode = mode;
        return options;
    }
}
