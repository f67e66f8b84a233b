using AiEng.Retrieval;
using AiEng.Samples.Rag;
using AiEng.Samples.Tests.TestSupport;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Tests.Rag;

public sealed class RagAppTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aieng-rag-tests-" + Guid.NewGuid().ToString("N"));
    private readonly RagPaths _paths;

    public RagAppTests()
    {
        string docs = Path.Combine(_root, "docs");
        RouterDocs.Write(docs);
        _paths = new RagPaths(docs, Path.Combine(_root, "store"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on another platform: the temporary folder is cleaned up eventually.
        }
    }

    [Fact]
    public async Task Answers_offline_with_citations_into_the_documents_and_says_no_model_is_configured()
    {
        var output = new StringWriter();

        RagRunResult result = await RunAsync(output, ["How long is the warranty of a router?"]);

        Assert.Equal(3, result.Ingestion.Added);
        RagAnswer answer = Assert.Single(result.Answers);
        Assert.Contains("three years", answer.Text, StringComparison.Ordinal);
        Citation citation = Assert.Single(answer.Citations, c => c.DocumentId == "warranty.md");
        Assert.Equal("Warranty > Routers", citation.HeadingPath);
        string document = File.ReadAllText(Path.Combine(_paths.DocsDirectory, "warranty.md")).ReplaceLineEndings("\n");
        Assert.Contains("three years", document[citation.StartOffset..citation.EndOffset], StringComparison.Ordinal);
        Assert.NotEmpty(answer.Retrieved);
        Assert.Contains(answer.Retrieved, chunk => citation.ChunkKeys.Contains(chunk.Chunk.Key));

        string text = output.ToString();
        Assert.Contains("no language model is configured", text, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__Provider=OpenAI", text, StringComparison.Ordinal);
        Assert.Contains("[1] Warranty (warranty.md, chars ", text, StringComparison.Ordinal);
        Assert.Contains("Retrieved chunks (hybrid: BM25 + dense, normalised scores", text, StringComparison.Ordinal);
        Assert.Contains("Ingested 3 documents in ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
        Assert.True(File.Exists(_paths.DatabasePath));
    }

    [Fact]
    public async Task A_second_run_skips_unchanged_documents_and_a_changed_one_is_replaced()
    {
        RagRunResult first = await RunAsync(new StringWriter(), []);
        var secondOutput = new StringWriter();
        RagRunResult second = await RunAsync(secondOutput, ["How long are cables guaranteed?"]);

        Assert.Equal(3, first.Ingestion.Added);
        Assert.Equal((0, 0, 3, 0), (second.Ingestion.Added, second.Ingestion.Updated, second.Ingestion.Unchanged, second.Ingestion.Chunks));
        Assert.Equal(first.IndexedChunks, second.IndexedChunks);
        Assert.Contains("All 3 documents are unchanged since the last run", secondOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains(second.Answers[0].Citations, c => c.DocumentId == "warranty.md" && c.HeadingPath == "Warranty > Cables");

        File.WriteAllText(Path.Combine(_paths.DocsDirectory, "returns.md"), "# Returns\n\nReturns are accepted within 60 days.\n");
        File.Delete(Path.Combine(_paths.DocsDirectory, "guide", "install.md"));
        RagRunResult third = await RunAsync(new StringWriter(), ["Within how many days are returns accepted?"]);

        Assert.Equal((0, 1, 1, 1), (third.Ingestion.Added, third.Ingestion.Updated, third.Ingestion.Unchanged, third.Ingestion.Deleted));
        Assert.Contains("60 days", third.Answers[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(third.Answers[0].Retrieved, chunk => chunk.Chunk.DocumentId == "guide/install.md");
    }

    [Fact]
    public async Task With_a_chat_model_configured_the_model_answers_from_the_retrieved_sources()
    {
        await using var server = await OpenAITestServer.StartAsync();
        OpenAITestChatRequest? seen = null;
        server.ChatHandler = (request, _) =>
        {
            seen = request;
            return ValueTask.FromResult(new OpenAITestChatReply("Routers have a three-year warranty [1]."));
        };
        IConfiguration configuration = ModelConfiguration(server);
        var output = new StringWriter();

        RagRunResult result = await RunAsync(output, ["How long is the warranty of a router?"], configuration);

        RagAnswer answer = Assert.Single(result.Answers);
        Assert.Equal("Routers have a three-year warranty [1].", answer.Text);
        Citation citation = Assert.Single(answer.Citations);
        Assert.Equal(1, citation.Number);
        Assert.NotNull(seen);
        Assert.Contains(seen.Messages, m => m.Role == "system" && m.Content.Contains(citation.Text, StringComparison.Ordinal));
        Assert.Contains("Chat:       gpt-test from ", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no language model is configured", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_questions_are_one_conversation_and_a_follow_up_is_searched_as_a_standalone_query_offline()
    {
        var output = new StringWriter();

        RagRunResult result = await RunAsync(output, ["How long is the warranty of a router?", "And what does it not cover?"]);

        Assert.Equal(2, result.Answers.Count);
        Assert.Equal(RetrievalQueryMethod.LastMessage, result.Answers[0].Query!.Method);
        RagAnswer followUp = result.Answers[1];
        Assert.Equal(("And what does it not cover? long warranty router", RetrievalQueryMethod.Heuristic), (followUp.Query!.Text, followUp.Query.Method));
        Assert.Contains("lightning", followUp.Text, StringComparison.Ordinal);
        Assert.Contains(followUp.Citations, c => c.DocumentId == "warranty.md" && c.HeadingPath == "Warranty > Routers");
        Assert.Contains("Searched: And what does it not cover? long warranty router (a follow-up, made standalone by the offline heuristic)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_chat_model_configured_the_model_condenses_the_follow_up_and_sees_the_conversation()
    {
        await using var server = await OpenAITestServer.StartAsync();
        var answered = new List<OpenAITestChatRequest>();
        server.ChatHandler = (request, _) =>
        {
            if (request.Messages[0].Content == ConversationQueryOptions.DefaultInstructions)
            {
                return ValueTask.FromResult(new OpenAITestChatReply("What does the router warranty not cover?"));
            }

            lock (answered)
            {
                answered.Add(request);
            }

            return ValueTask.FromResult(new OpenAITestChatReply("Not lightning damage [1]."));
        };
        IConfiguration configuration = ModelConfiguration(server);
        var output = new StringWriter();

        RagRunResult result = await RunAsync(output, ["How long is the warranty of a router?", "And what does it not cover?"], configuration);

        RetrievalQuery query = result.Answers[1].Query!;
        Assert.Equal(("What does the router warranty not cover?", RetrievalQueryMethod.Model), (query.Text, query.Method));
        Assert.Contains(result.Answers[1].Citations, c => c.DocumentId == "warranty.md" && c.HeadingPath == "Warranty > Routers");
        Assert.Equal(2, answered.Count);
        Assert.Equal(["user", "assistant", "system", "user"], answered[1].Messages.Select(m => m.Role));
        Assert.Equal("And what does it not cover?", answered[1].Messages[^1].Content);
        Assert.Contains("Searched: What does the router warranty not cover? (a follow-up, made standalone by the chat model)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_restricts_the_retrieved_chunks_and_the_citations_to_its_documents()
    {
        var output = new StringWriter();

        // The question matches warranty.md best; restricted to the guide folder, only guide/install.md may answer.
        RagRunResult result = await RunAsync(output, ["How long is the warranty of a router?"], topic: "guide");

        RagAnswer answer = Assert.Single(result.Answers);
        Assert.NotEmpty(answer.Retrieved);
        Assert.All(answer.Retrieved, chunk =>
        {
            Assert.Equal("guide/install.md", chunk.Chunk.DocumentId);
            Assert.Contains("topic=guide", chunk.Chunk.Tags);
        });
        Assert.All(answer.Citations, citation => Assert.Equal("guide/install.md", citation.DocumentId));
        Assert.Contains("Filter:    topic = 'guide'", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(result.Answers, a => a.Citations.Count > 0);
    }

    [Theory]
    [InlineData("retrieval.md", "retrieval")]
    [InlineData("guide/install.md", "guide")]
    [InlineData("guide\\deep\\x.md", "guide")]
    public void The_topic_of_a_document_is_its_first_folder_or_its_file_name(string id, string topic)
    {
        Assert.Equal(topic, TopicDocumentLoader.TopicOf(id));
    }

    [Fact]
    public void The_sample_resolves_the_ingestor_and_the_retriever_registered_by_AddRetrieval_over_its_SQLite_file()
    {
        using ServiceProvider services = new ServiceCollection().AddRagSample(new ConfigurationBuilder().Build(), _paths).BuildServiceProvider();

        Assert.IsType<SqliteVectorStore>(services.GetRequiredService<Microsoft.Extensions.VectorData.VectorStore>());
        Assert.NotNull(services.GetRequiredService<DocumentIngestor>());
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetrievalServiceOptions>>().Value;
        Assert.Equal("docs_all_minilm_l6_v2_384", options.Collection);
        Assert.Equal([TopicDocumentLoader.TopicKey], options.FilterableFields);
    }

    // The sample's configuration with the chat model gpt-test served by the test server.
    private static IConfiguration ModelConfiguration(OpenAITestServer server) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-test",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
        }).Build();

    // One run of the program: its own container (as a new process would have) over the test's folders, with no
    // configuration the offline defaults (extractive responder, local MiniLM) as on a fresh clone.
    private async Task<RagRunResult> RunAsync(TextWriter output, IReadOnlyList<string> questions, IConfiguration? configuration = null, string? topic = null)
    {
        using ServiceProvider services = new ServiceCollection()
            .AddRagSample(configuration ?? new ConfigurationBuilder().Build(), _paths)
            .BuildServiceProvider();
        RagApp app = ActivatorUtilities.CreateInstance<RagApp>(services, RagApp.CreatePlainConsole(output));
        return await app.RunAsync(_paths, questions, topic);
    }
}
