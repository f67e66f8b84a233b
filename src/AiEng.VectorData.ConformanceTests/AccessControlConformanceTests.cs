using System.Globalization;
using System.Linq.Expressions;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// Filters as access control, end to end over a real store: two tenants' documents ingested into one collection with
/// their tenant as filterable metadata, and every retriever (keyword, dense, hybrid, reranking on top, multi-query and
/// HyDE on top, the one <c>AddRetrieval</c> registers, and <c>UseRetrieval</c> in front of a model) asked for one tenant
/// never returns a chunk of the other, although the other tenant's chunks match the question better. Each store's test
/// project derives from it, as it does from <see cref="VectorStoreConformanceTests"/>.
/// </summary>
public abstract class AccessControlConformanceTests
{
    private const int Dimensions = 64;
    private const int DocumentsPerTenant = 40;
    private const string Question = "router password reset";

    private static readonly string[] Groups = ["sales", "support", "legal"];

    /// <summary>Gets the retrievers each filter is checked through.</summary>
    public static TheoryData<string> Retrievers => ["keyword", "dense", "hybrid", "reranked hybrid", "multi-query hybrid", "hyde hybrid"];

    /// <summary>Gets the retrievers crossed with the forms of the tenant filter.</summary>
    public static TheoryData<string, string> RetrieversAndFilters
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string retriever in Retrievers)
            {
                foreach (string filter in new[] { "where", "any-of", "expression" })
                {
                    data.Add(retriever, filter);
                }
            }

            return data;
        }
    }

    /// <summary>Creates a new, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract VectorStore CreateStore();

    /// <summary>
    /// Gets the collection of chunks <paramref name="name"/> of <paramref name="store"/>; by default of
    /// <see cref="ChunkRecord"/>s. Override it to run the suite over a record type of your own through a
    /// <see cref="ChunkRecordMapper{TRecord}"/> (as <see cref="TenantChunkMapper"/> does).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="dimensions">The embedding size.</param>
    /// <returns>The collection.</returns>
    protected virtual VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetCollection<Guid, ChunkRecord>(name, ChunkRecord.CreateDefinition(dimensions));
    }

    /// <summary>Registers retrieval on <paramref name="builder"/>: <c>AddRetrieval()</c> by default; override it with <c>AddRetrieval(mapper)</c> for your own record type.</summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The builder.</returns>
    protected virtual AiEngBuilder AddRetrieval(AiEngBuilder builder) => builder.AddRetrieval();

    /// <summary>A tenant-a request never returns a tenant-b chunk, in any retriever and whatever form the filter takes.</summary>
    /// <param name="retriever">The retriever under test.</param>
    /// <param name="filter">The form of the filter: <c>where</c>, <c>any-of</c> or <c>expression</c>.</param>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Theory]
    [MemberData(nameof(RetrieversAndFilters))]
    public async Task A_tenant_filtered_request_never_returns_another_tenants_chunk(string retriever, string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var store = CreateStore();
        var collection = await IngestAsync(store);
        IRetriever subject = await CreateAsync(retriever, collection);
        string tenantTag = ChunkRecord.CreateTag("tenant", "acme");

        // More chunks than the keyword side can find for tenant a (10), so a hybrid's last places come from its dense side,
        // where another tenant's chunk would show if that side ignored the filter.
        var unfiltered = await subject.RetrieveAsync(new RetrievalRequest(Question) { Top = 12 });
        var request = new RetrievalRequest(Question) { Top = 12 };
        if (filter == "where")
        {
            request.Where("tenant", "acme");
        }
        else if (filter == "any-of")
        {
            request.WhereAny("tenant", "acme", "initech");
        }
        else
        {
            Expression<Func<ChunkRecord, bool>> sameTenant = record => record.Tags.Contains(tenantTag);
            request.Filter = sameTenant;
        }

        var filtered = await subject.RetrieveAsync(request);

        // Unfiltered, the other tenant's chunks match best: only the filter keeps them out.
        Assert.Equal(12, unfiltered.Count);
        Assert.All(unfiltered, chunk => Assert.Equal("globex", TenantOf(chunk.Chunk)));
        AssertOnlyTenant("acme", filtered, retriever == "keyword" ? 10 : 12);
    }

    /// <summary>Any-of on a second key narrows within the tenant, and a filter that accepts no value returns nothing.</summary>
    /// <param name="retriever">The retriever under test.</param>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Theory]
    [MemberData(nameof(Retrievers))]
    public async Task Conditions_combine_and_an_empty_any_of_returns_nothing(string retriever)
    {
        using var store = CreateStore();
        var collection = await IngestAsync(store);
        IRetriever subject = await CreateAsync(retriever, collection);

        var narrowed = await subject.RetrieveAsync(new RetrievalRequest(Question) { Top = 4 }.Where("tenant", "acme").WhereAny("group", "sales", "legal"));
        var none = await subject.RetrieveAsync(new RetrievalRequest(Question) { Top = 4 }.WhereAny("tenant"));

        AssertOnlyTenant("acme", narrowed, 4);
        Assert.All(narrowed, chunk => Assert.Contains(chunk.Chunk.GetMetadata()["group"], new[] { "sales", "legal" }));
        Assert.Empty(none);
    }

    /// <summary>A filter on a key that was not declared filterable fails, naming the key and how to declare it.</summary>
    /// <param name="retriever">The retriever under test.</param>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Theory]
    [MemberData(nameof(Retrievers))]
    public async Task A_filter_on_an_undeclared_key_fails_naming_it(string retriever)
    {
        using var store = CreateStore();
        var collection = await IngestAsync(store);
        IRetriever subject = await CreateAsync(retriever, collection);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => subject.RetrieveAsync(new RetrievalRequest(Question).Where("region", "eu")));

        Assert.Contains("'region'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Retrieval:FilterableFields", error.Message, StringComparison.Ordinal);
        Assert.Contains("FilterableFields", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Through <c>AddRetrieval</c> (filterable fields from its options) the registered retriever keeps tenants apart, and
    /// <c>UseRetrieval</c> gives the model only the allowed tenant's chunks, whether the filter comes with the call or from
    /// <see cref="RetrievalOptions.ConfigureRequest"/>, streaming or not.
    /// </summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task The_registered_retriever_and_the_grounded_model_see_only_the_allowed_tenant()
    {
        using var store = CreateStore();
        var services = new ServiceCollection();
        services.AddSingleton(store);
        AddRetrieval(services.AddAiEng(_ => { }).UseEmbeddingGenerator(_ => Embedder()))
            .AddRetrieval(options =>
            {
                options.Dimensions = Dimensions;
                options.FilterableFields = ["tenant", "group"];
            });
        using var provider = services.BuildServiceProvider();
        var result = await provider.GetRequiredService<DocumentIngestor>().IngestAsync(Corpus());
        Assert.Equal(2 * DocumentsPerTenant, result.Added);
        IRetriever retriever = provider.GetRequiredService<IRetriever>();

        var unfiltered = await retriever.RetrieveAsync(new RetrievalRequest(Question) { Top = 12 });
        var filtered = await retriever.RetrieveAsync(new RetrievalRequest(Question) { Top = 12 }.Where("tenant", "acme"));
        Assert.All(unfiltered, chunk => Assert.Equal("globex", TenantOf(chunk.Chunk)));
        AssertOnlyTenant("acme", filtered, 12);

        var contexts = new List<string>();
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                Assert.False(options?.AdditionalProperties?.ContainsKey(RetrievalChatClient.FilterKey) ?? false, "the filter reached the model's options");
                contexts.Add(string.Join("\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text)));
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "See [1].")));
            },
        };
        model.GetStreamingResponseAsyncCallback = (messages, options, cancellationToken) => StreamAsync(model.GetResponseAsyncCallback!(messages, options, cancellationToken));

        using (var perCall = model.AsBuilder().UseRetrieval(retriever, options => options.Top = 12).Build())
        {
            var callOptions = new ChatOptions { AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = new MetadataFilter().Where("tenant", "acme") } };
            var response = await perCall.GetResponseAsync(Question, callOptions);
            await foreach (var _ in perCall.GetStreamingResponseAsync(Question, callOptions))
            {
            }

            Assert.All(response.GetCitations(), citation => Assert.StartsWith("acme/", citation.DocumentId, StringComparison.Ordinal));
            Assert.NotEmpty(response.GetCitations());
        }

        using (var ambient = model.AsBuilder().UseRetrieval(retriever, options =>
        {
            options.Top = 12;
            options.ConfigureRequest = (request, _) => request.Where("tenant", "acme");
        }).Build())
        {
            await ambient.GetResponseAsync(Question);
        }

        using (var unrestricted = model.AsBuilder().UseRetrieval(retriever).Build())
        {
            await unrestricted.GetResponseAsync(Question);
        }

        Assert.Equal(4, contexts.Count);
        Assert.All(contexts.Take(3), context =>
        {
            Assert.Contains("Acme router note", context, StringComparison.Ordinal);
            Assert.DoesNotContain("Globex", context, StringComparison.Ordinal);
        });
        Assert.Contains("Globex", contexts[3], StringComparison.Ordinal);
    }

    private static void AssertOnlyTenant(string tenant, IReadOnlyList<RetrievedChunk> chunks, int expectedCount)
    {
        Assert.Equal(expectedCount, chunks.Count);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal(tenant, TenantOf(chunk.Chunk));
            Assert.StartsWith(tenant + "/", chunk.Chunk.DocumentId, StringComparison.Ordinal);
            Assert.Contains(ChunkRecord.CreateTag("tenant", tenant), chunk.Chunk.Tags);
        });
    }

    private static string TenantOf(ChunkRecord record) => record.GetMetadata()["tenant"];

    private static TestEmbeddingGenerator Embedder()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, Dimensions));
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "bag-of-words", Dimensions);
        return generator;
    }

    private async Task<VectorStoreCollection<Guid, ChunkRecord>> IngestAsync(VectorStore store)
    {
        var collection = GetChunkCollection(store, "tenants", Dimensions);
        var chunker = new RecursiveTextChunker(TiktokenTokenCounter.O200kBase, new ChunkerOptions { ChunkSize = 64, ChunkOverlap = 0 });
        var ingestor = new DocumentIngestor(collection, Embedder(), chunker, new DocumentIngestorOptions { FilterableFields = ["tenant", "group"] });
        var result = await ingestor.IngestAsync(Corpus());
        Assert.Equal(2 * DocumentsPerTenant, result.Added);
        Assert.Equal(2 * DocumentsPerTenant, result.Chunks);
        return collection;
    }

    private static async Task<IRetriever> CreateAsync(string kind, VectorStoreCollection<Guid, ChunkRecord> collection)
    {
        string[] filterable = ["tenant", "group"];
        var keyword = await KeywordRetriever.LoadAsync(collection, new KeywordRetrieverOptions { FilterableFields = filterable });
        var dense = new VectorStoreRetriever(collection, Embedder(), new VectorStoreRetrieverOptions { FilterableFields = filterable });
        var hybrid = new HybridRetriever([keyword, dense]);
        return kind switch
        {
            "keyword" => keyword,
            "dense" => dense,
            "hybrid" => hybrid,
            "reranked hybrid" => new RerankingRetriever(hybrid, new MmrReranker(Embedder()), candidateCount: 16),
            "multi-query hybrid" => new MultiQueryRetriever(TestChatClient.Replying("1. globex router password reset code\n2. reset the router password"), hybrid),
            "hyde hybrid" => new HydeRetriever(TestChatClient.Replying("Globex router password reset: reset the router password with the code."), hybrid),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// Tenant <c>globex</c>: documents that match the question word for word. Tenant <c>acme</c>: a few that share some of
    /// its words, and many that share none.
    /// </summary>
    private static async IAsyncEnumerable<Document> Corpus()
    {
        for (int i = 0; i < DocumentsPerTenant; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            string acme = i < 10
                ? $"Acme router note {n}: the router in hall {n} needs a password."
                : $"Acme canteen note {n}: lunch is served at noon in hall {n}.";
            yield return new Document($"acme/{n}", acme)
            {
                Metadata = new Dictionary<string, string> { ["tenant"] = "acme", ["group"] = Groups[i % 3] },
            };
            yield return new Document($"globex/{n}", $"Globex router password reset {n}: reset the router password with code {n}.")
            {
                Metadata = new Dictionary<string, string> { ["tenant"] = "globex", ["group"] = Groups[i % 3] },
            };
        }

        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(Task<ChatResponse> response)
    {
        foreach (var update in (await response).ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
