using AiEng.Offline;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.Retrieval.Generation;

public class RetrievalChatClientTests
{
    private const string Question = "What is the warranty?";
    private static readonly ChunkRecord Warranty = Chunks.Record("manual", 3, "The warranty lasts two years.", title: "Manual");
    private static readonly ChunkRecord Reset = Chunks.Record("faq", 0, "Hold the button to reset.", title: "FAQ");

    private static (TestChatClient Inner, List<List<ChatMessage>> Calls) Replying(string answer)
    {
        var calls = new List<List<ChatMessage>>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                calls.Add([.. messages]);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { ResponseId = "r1" });
            },
        };
        return (inner, calls);
    }

    private static IChatClient Pipeline(IChatClient inner, IRetriever retriever, Action<RetrievalOptions>? configure = null) =>
        inner.AsBuilder().UseRetrieval(retriever, options =>
        {
            options.TokenCounter = new WordTokenCounter();
            configure?.Invoke(options);
        }).Build();

    [Fact]
    public async Task Inserts_the_numbered_sources_before_the_question_without_changing_the_callers_messages()
    {
        var (inner, calls) = Replying("Two years [1].");
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty, Reset] });
        List<ChatMessage> messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello"), new(ChatRole.User, Question)];

        var response = await Pipeline(inner, retriever).GetResponseAsync(messages);

        Assert.Equal(4, messages.Count);
        Assert.Equal([(Question, RetrievalOptions.DefaultTop)], retriever.Calls);
        var sent = Assert.Single(calls);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.System, ChatRole.User], sent.Select(m => m.Role));
        Assert.Same(messages[3], sent[4]);
        Assert.Equal(
            RetrievalOptions.DefaultInstructions + "\n\nSources:\n[1] The warranty lasts two years.\n\n[2] Hold the button to reset.",
            sent[3].Text);
        Assert.Equal("Two years [1].", response.Text);
        var citation = Assert.Single(response.GetCitations());
        Assert.Equal((1, "manual", "Manual", "docs/manual.md", 3000, 3029), (citation.Number, citation.DocumentId, citation.Title, citation.Source, citation.StartOffset, citation.EndOffset));
    }

    [Theory]
    [InlineData("Two years [1, 2].", true, "1,2")]
    [InlineData("Hold it [2][7].", true, "2")]
    [InlineData("Two years.", true, "1,2")]
    [InlineData("Two years [9].", true, "1,2")]
    [InlineData("Two years [1].", false, "1,2")]
    public async Task Lists_the_cited_sources_or_all_packed_ones_when_none_is_cited(string answer, bool citedOnly, string expected)
    {
        var (inner, _) = Replying(answer);
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty, Reset] });

        var response = await Pipeline(inner, retriever, o => o.CitedSourcesOnly = citedOnly).GetResponseAsync([new(ChatRole.User, Question)]);

        Assert.Equal(expected, string.Join(',', response.GetCitations().Select(c => c.Number)));
    }

    [Fact]
    public async Task Streams_the_answer_and_ends_with_an_update_that_carries_the_citations()
    {
        var (inner, calls) = Replying("It lasts two years [1].");
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty, Reset] });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Pipeline(inner, retriever).GetStreamingResponseAsync([new(ChatRole.User, Question)]))
        {
            updates.Add(update);
        }

        Assert.Equal(2, Assert.Single(calls).Count);
        Assert.Equal("manual", Assert.Single(updates[^1].GetCitations()).DocumentId);
        Assert.Empty(updates[^1].Contents);
        Assert.Equal("r1", updates[^1].ResponseId);
        Assert.All(updates.SkipLast(1), u => Assert.Empty(u.GetCitations()));
        var response = updates.ToChatResponse();
        Assert.Equal("It lasts two years [1].", response.Text);
        Assert.Equal("manual", Assert.Single(response.GetCitations()).DocumentId);
    }

    [Fact]
    public async Task Passes_through_without_retrieval_when_there_is_no_user_question()
    {
        var (inner, calls) = Replying("ok");
        var retriever = Chunks.Fixed([]);
        List<ChatMessage> messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "   ")];

        var response = await Pipeline(inner, retriever).GetResponseAsync(messages);

        Assert.Empty(retriever.Calls);
        Assert.Equal(messages, Assert.Single(calls));
        Assert.Null(response.AdditionalProperties);
    }

    [Fact]
    public async Task Sends_the_messages_unchanged_with_an_empty_citation_list_when_nothing_is_retrieved()
    {
        var (inner, calls) = Replying("I do not know.");
        var retriever = Chunks.Fixed([]);
        List<ChatMessage> messages = [new(ChatRole.User, Question)];

        var response = await Pipeline(inner, retriever).GetResponseAsync(messages);

        Assert.Equal(messages, Assert.Single(calls));
        Assert.True(response.AdditionalProperties!.ContainsKey(RetrievalChatClient.CitationsKey));
        Assert.Empty(response.GetCitations());
    }

    [Fact]
    public async Task Grounds_the_offline_extractive_responder_which_quotes_a_packed_chunk_with_its_citation()
    {
        const string warrantyText = "Returns are accepted within 30 days. The router warranty covers hardware faults for two years from the date of purchase.";
        const string resetText = "To restart the device, hold the power button for ten seconds.";
        ChunkRecord[] records =
        [
            new() { Key = ChunkRecord.CreateKey("warranty", 1), DocumentId = "warranty", ChunkIndex = 1, Title = "Warranty terms", Source = "docs/warranty.md", Text = "Warranty terms > Coverage\n\n" + warrantyText, StartOffset = 120, EndOffset = 120 + warrantyText.Length, HeadingPath = "Warranty terms > Coverage" },
            new() { Key = ChunkRecord.CreateKey("reset", 0), DocumentId = "reset", ChunkIndex = 0, Title = "Restarting", Source = "docs/reset.md", Text = resetText, StartOffset = 0, EndOffset = resetText.Length },
        ];
        var retriever = new KeywordRetriever(records);
        using var client = new ExtractiveResponder(TiktokenTokenCounter.O200kBase).AsBuilder().UseRetrieval(retriever, o => o.Top = 2).Build();

        var response = await client.GetResponseAsync([new(ChatRole.User, "How long does the warranty cover hardware faults?")]);

        var citation = Assert.Single(response.GetCitations());
        Assert.Equal(("warranty", "Warranty terms", 120, 120 + warrantyText.Length, "Warranty terms > Coverage"), (citation.DocumentId, citation.Title, citation.StartOffset, citation.EndOffset, citation.HeadingPath));
        Assert.Contains($"\"The router warranty covers hardware faults for two years from the date of purchase.\" [{citation.Number}]", response.Text, StringComparison.Ordinal);
        Assert.Contains(warrantyText, citation.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("[message", response.Text, StringComparison.Ordinal);
        Assert.StartsWith("The most relevant passages of the context:\n- \"The router warranty", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validates_the_options_when_added_and_takes_the_token_counter_from_the_services()
    {
        var inner = TestChatClient.Replying("x");
        var retriever = Chunks.Fixed([]);
        Assert.Throws<ArgumentException>("options", () => inner.AsBuilder().UseRetrieval(retriever, o => o.Top = 0));
        Assert.Throws<ArgumentException>("options", () => inner.AsBuilder().UseRetrieval(retriever, o => o.Packing.MaxTokens = 0));
        Assert.Throws<ArgumentException>("options", () => inner.AsBuilder().UseRetrieval(retriever, o => o.Packing = null!));
        Assert.Throws<ArgumentNullException>("retriever", () => inner.AsBuilder().UseRetrieval((IRetriever)null!));
        Assert.Throws<InvalidOperationException>(() => inner.AsBuilder().UseRetrieval(_ => null!).Build());

        var counter = new CountingTokenCounter();
        using var services = new ServiceCollection().AddSingleton<ITokenCounter>(counter).AddSingleton<IRetriever>(retriever).BuildServiceProvider();
        using var client = inner.AsBuilder().UseRetrieval(sp => sp.GetRequiredService<IRetriever>()).Build(services);

        Assert.NotNull(client.GetService<RetrievalChatClient>());
        Assert.True(counter.Calls > 0);
    }

    private sealed class CountingTokenCounter : ITokenCounter
    {
        private readonly WordTokenCounter _inner = new();

        public int Calls { get; private set; }

        public string Name => "counting";

        public int CountTokens(string text)
        {
            Calls++;
            return _inner.CountTokens(text);
        }

        public IReadOnlyList<string> GetTokens(string text) => _inner.GetTokens(text);
    }
}
