using System.Linq.Expressions;
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

    [Fact]
    public async Task A_calls_filter_goes_to_the_retriever_and_never_to_the_model()
    {
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty] });
        var seen = new List<ChatOptions?>();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) =>
            {
                seen.Add(options);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Two years [1].")));
            },
        };
        inner.GetStreamingResponseAsyncCallback = (messages, options, token) => Stream(inner.GetResponseAsyncCallback!(messages, options, token));
        var metadata = new MetadataFilter().Where("tenant", "acme");
        Expression<Func<ChunkRecord, bool>> expression = record => record.DocumentId == "manual";
        var withMetadata = new ChatOptions { Temperature = 0.2f, AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = metadata, ["other"] = 1 } };
        var withExpression = new ChatOptions { AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = expression } };
        using var client = Pipeline(inner, retriever);

        await client.GetResponseAsync(Question, withMetadata);
        await foreach (var _ in client.GetStreamingResponseAsync(Question, withExpression))
        {
        }

        Assert.Same(metadata, retriever.Requests[0].MetadataFilter);
        Assert.Null(retriever.Requests[0].Filter);
        Assert.Same(expression, retriever.Requests[1].Filter);
        Assert.Equal(0.2f, seen[0]!.Temperature);
        Assert.Equal(new AdditionalPropertiesDictionary { ["other"] = 1 }, seen[0]!.AdditionalProperties);
        Assert.Null(seen[1]!.AdditionalProperties);
        Assert.True(withMetadata.AdditionalProperties.ContainsKey(RetrievalChatClient.FilterKey), "the caller's options were changed");
    }

    [Theory]
    [InlineData("tenant = acme")]
    [InlineData(null)]
    public async Task A_calls_filter_of_another_type_fails_the_call_rather_than_being_ignored(string? value)
    {
        var (inner, calls) = Replying("x");
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty] });
        var options = new ChatOptions { AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = value } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Pipeline(inner, retriever).GetResponseAsync(Question, options));

        Assert.Contains(RetrievalChatClient.FilterKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(MetadataFilter), error.Message, StringComparison.Ordinal);
        Assert.Empty(calls);
        Assert.Empty(retriever.Requests);
    }

    [Fact]
    public async Task ConfigureRequest_completes_every_request_after_the_calls_own_filter()
    {
        var (inner, _) = Replying("x");
        var retriever = Chunks.Fixed(new() { [Question] = [Warranty] });
        var given = new List<ChatOptions?>();
        var options = new ChatOptions { AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = new MetadataFilter().Where("lang", "en") } };
        using var client = Pipeline(inner, retriever, o => o.ConfigureRequest = (request, chatOptions) =>
        {
            given.Add(chatOptions);
            request.Where("tenant", "acme");
        });

        await client.GetResponseAsync(Question, options);
        await client.GetResponseAsync(Question);

        Assert.Equal("lang = 'en' and tenant = 'acme'", retriever.Requests[0].MetadataFilter!.ToString());
        Assert.Equal("tenant = 'acme'", retriever.Requests[1].MetadataFilter!.ToString());
        Assert.Equal([options, null], given);
    }

    [Fact]
    public async Task The_sentence_window_of_a_retrieved_sentence_is_what_the_model_reads()
    {
        const string text = "Alpha opens the file. Beta reads it. The warranty lasts two years from purchase. Gamma closes the file. Delta logs out.";
        using var store = new InMemoryVectorStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("sentences", ChunkRecord.CreateDefinition(256));
        var ingestor = new DocumentIngestor(collection, Chunks.BagOfWords(), new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = 1 }));
        await ingestor.IngestAsync(Documents(new Document("manual", text)));
        var (inner, calls) = Replying("Two years [1].");
        var retriever = await KeywordRetriever.LoadAsync(collection);

        var stored = await ToListAsync(collection.GetAsync(r => r.DocumentId == "manual", 10));
        var response = await Pipeline(inner, retriever, o => o.Top = 1).GetResponseAsync("How long is the warranty?");

        const string window = "Beta reads it. The warranty lasts two years from purchase. Gamma closes the file.";
        var sentence = Assert.Single(stored, r => r.Text == "The warranty lasts two years from purchase.");
        Assert.Equal(window, sentence.GetMetadata()[SentenceWindowChunker.WindowKey]);
        Assert.EndsWith("Sources:\n[1] " + window, calls[0][^2].Text, StringComparison.Ordinal);
        var citation = Assert.Single(response.GetCitations());
        Assert.Equal((text.IndexOf("Beta", StringComparison.Ordinal), text.IndexOf(" Delta", StringComparison.Ordinal), window), (citation.StartOffset, citation.EndOffset, citation.Text));
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(Task<ChatResponse> response)
    {
        foreach (var update in (await response).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private static async IAsyncEnumerable<Document> Documents(params Document[] documents)
    {
        foreach (var document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
