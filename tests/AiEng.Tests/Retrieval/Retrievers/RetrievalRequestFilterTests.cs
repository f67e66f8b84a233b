using System.Linq.Expressions;
using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Retrievers;

/// <summary>
/// A request's filter, as an access-control check: two tenants' documents in one in-memory collection, every retriever and
/// decorator asked for one tenant, and no chunk of the other tenant in any answer.
/// </summary>
public sealed class RetrievalRequestFilterTests : IAsyncLifetime
{
    private static readonly Expression<Func<ChunkRecord, bool>> AcmeOnly = record => record.DocumentId == "acme";

    private readonly InMemoryVectorStore _store = new();
    private readonly TestEmbeddingGenerator _embeddings = Chunks.BagOfWords();
    private ChangeTrackingCollection _collection = null!;

    public static TheoryData<string> Retrievers => ["keyword", "dense", "hybrid", "reranked hybrid", "multi-query hybrid", "hyde hybrid"];

    public async Task InitializeAsync()
    {
        _collection = new ChangeTrackingCollection(_store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(256)), ownsInner: true);
        await _collection.EnsureCollectionExistsAsync();
        string[] acme = ["the router password is printed under the router", "reset the router by holding the button", "router lights blink during updates"];
        string[] globex = ["the router password of globex is kept in the vault", "globex routers reset themselves at night", "router firmware for globex ships monthly"];
        var records = acme.Select((text, i) => Chunks.Record("acme", i, text)).Concat(globex.Select((text, i) => Chunks.Record("globex", i, text))).ToArray();
        foreach (var record in records)
        {
            record.Embedding = await _embeddings.GenerateVectorAsync(record.Text);
        }

        await _collection.UpsertAsync(records);
    }

    public Task DisposeAsync()
    {
        _collection.Dispose();
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Retrievers))]
    public async Task A_filtered_request_returns_only_the_chunks_the_filter_allows_and_still_fills_its_top(string kind)
    {
        IRetriever retriever = await CreateAsync(kind);

        var unfiltered = await retriever.RetrieveAsync(new RetrievalRequest("router password reset") { Top = 4 });
        var filtered = await retriever.RetrieveAsync(new RetrievalRequest("router password reset") { Top = 4, Filter = AcmeOnly });

        // Without the filter the other tenant's chunks compete, so the filter is what keeps them out.
        Assert.Contains(unfiltered, chunk => chunk.Chunk.DocumentId == "globex");
        Assert.NotEmpty(filtered);
        Assert.All(filtered, chunk => Assert.Equal("acme", chunk.Chunk.DocumentId));
        Assert.Equal(3, filtered.Count);
    }

    [Fact]
    public async Task The_dense_retriever_applies_its_options_filter_and_the_request_filter_together()
    {
        var retriever = new VectorStoreRetriever(_collection, _embeddings, new VectorStoreRetrieverOptions { Filter = record => record.ChunkIndex < 2 });

        var chunks = await retriever.RetrieveAsync(new RetrievalRequest("router") { Top = 6, Filter = AcmeOnly });

        Assert.Equal(["acme#0", "acme#1"], chunks.Keys().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_filter_that_no_chunk_passes_returns_nothing()
    {
        IRetriever retriever = await CreateAsync("hybrid");

        var chunks = await retriever.RetrieveAsync(new RetrievalRequest("router") { Top = 3, Filter = record => record.DocumentId == "initech" });

        Assert.Empty(chunks);
    }

    [Fact]
    public void A_request_rejects_a_top_below_one_and_a_null_query()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalRequest("q") { Top = 0 });
        Assert.Throws<ArgumentNullException>(() => new RetrievalRequest(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RerankRequest("q", []) { Top = 0 });
    }

    [Fact]
    public void A_request_for_another_query_keeps_the_filter_top_and_settings()
    {
        var request = new RetrievalRequest("first") { Top = 7, Filter = AcmeOnly, AdditionalProperties = new() { ["tenant"] = "acme" } };

        var copy = request.ForQuery("second");
        var deeper = request.ForQuery("third", top: 20);

        Assert.Equal("second", copy.Query);
        Assert.Equal(7, copy.Top);
        Assert.Same(AcmeOnly, copy.Filter);
        Assert.Same(request.AdditionalProperties, copy.AdditionalProperties);
        Assert.Equal(20, deeper.Top);
    }

    [Fact]
    public void Where_and_WhereAny_add_conditions_to_the_request_and_copies_keep_them()
    {
        var request = new RetrievalRequest("q");

        var same = request.Where("tenant", "acme").WhereAny("lang", "en", "de");
        var copy = request.ForQuery("other");

        Assert.Same(request, same);
        Assert.Equal("tenant = 'acme' and lang in ('en', 'de')", request.MetadataFilter!.ToString());
        Assert.Same(request.MetadataFilter, copy.MetadataFilter);
    }

    [Fact]
    public void A_filter_expression_is_compiled_once_per_instance()
    {
        Assert.Same(ChunkFilters.Compile(AcmeOnly), ChunkFilters.Compile(AcmeOnly));
    }

    private async Task<IRetriever> CreateAsync(string kind)
    {
        var keyword = await KeywordRetriever.LoadAsync(_collection);
        var dense = new VectorStoreRetriever(_collection, _embeddings);
        var hybrid = new HybridRetriever([keyword, dense]);
        return kind switch
        {
            "keyword" => keyword,
            "dense" => dense,
            "hybrid" => hybrid,
            "reranked hybrid" => new RerankingRetriever(hybrid, new PassThroughReranker(), 10),
            "multi-query hybrid" => new MultiQueryRetriever(TestChatClient.Replying("1. router password\n2. how to reset the router"), hybrid),
            "hyde hybrid" => new HydeRetriever(TestChatClient.Replying("The router password is under the router; hold the button to reset it."), hybrid),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}
