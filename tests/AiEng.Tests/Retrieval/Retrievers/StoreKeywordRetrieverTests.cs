using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Retrievers;

public sealed class StoreKeywordRetrieverTests
{
    private static FakeChunkCollection Collection(bool keywords = true, bool hybrid = false)
    {
        var collection = new FakeChunkCollection(
        [
            Tagged(Chunks.Record("manual", 0, "reset the router"), "tenant=a"),
            Tagged(Chunks.Record("faq", 0, "router password"), "tenant=b"),
        ]);
        collection.SearchesKeywords = keywords;
        collection.SearchesHybrid = hybrid;
        return collection;
    }

    [Fact]
    public async Task Asks_the_store_for_its_keyword_ranking_with_the_request_filter()
    {
        var collection = Collection();
        var retriever = new StoreKeywordRetriever(collection, new VectorStoreRetrieverOptions { FilterableFields = ["tenant"] });

        var chunks = await retriever.RetrieveAsync(new RetrievalRequest("router") { Top = 5 }.Where("tenant", "b"));

        Assert.Equal(["faq"], chunks.Select(c => c.Chunk.DocumentId));
        Assert.Equal(1, chunks[0].Score);
        Assert.Equal(["router"], collection.KeywordQueries);
        Assert.NotNull(collection.LastKeywordOptions?.Filter);
    }

    [Fact]
    public async Task Undeclared_keys_fail_and_an_empty_any_of_filter_does_not_search()
    {
        var collection = Collection();
        var retriever = new StoreKeywordRetriever(collection);

        await Assert.ThrowsAsync<ArgumentException>("request", () => retriever.RetrieveAsync(new RetrievalRequest("router").Where("tenant", "a")));
        var declared = new StoreKeywordRetriever(collection, new VectorStoreRetrieverOptions { FilterableFields = ["tenant"] });
        Assert.Empty(await declared.RetrieveAsync(new RetrievalRequest("router").WhereAny("tenant")));
        Assert.Empty(collection.KeywordQueries);
    }

    [Fact]
    public void Refuses_a_collection_that_does_not_search_keywords()
    {
        var error = Assert.Throws<ArgumentException>("collection", () => new StoreKeywordRetriever(Collection(keywords: false)));

        Assert.Contains("KeywordRetriever.LoadAsync", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("collection", () => new StoreHybridRetriever(Collection(keywords: false), TestEmbeddingGenerator.FromFunction(_ => [1f, 0f])));
    }

    [Fact]
    public async Task AddRetrievals_retriever_uses_the_stores_keyword_search_behind_the_change_tracking_wrapper()
    {
        var collection = Collection();
        using var tracking = new ChangeTrackingCollection(collection, ownsInner: false);
        var retriever = new CollectionRetriever(tracking, RetrieverKind.Keyword, embeddingGenerator: null, filterableFields: ["tenant"]);

        var chunks = await retriever.RetrieveAsync(new RetrievalRequest("reset") { Top = 3 }.Where("tenant", "a"));

        Assert.Equal(["manual"], chunks.Select(c => c.Chunk.DocumentId));
        Assert.Equal(["reset"], collection.KeywordQueries);

        // Writes need no index update: the store's index is the one searched.
        await tracking.UpsertAsync(Tagged(Chunks.Record("guide", 0, "reset twice"), "tenant=a"));
        Assert.Equal(["guide", "manual"], (await retriever.RetrieveAsync(new RetrievalRequest("reset twice") { Top = 3 }.Where("tenant", "a"))).Select(c => c.Chunk.DocumentId));
    }

    [Fact]
    public async Task Hybrid_retrieval_fuses_the_stores_keyword_ranking_with_the_dense_one()
    {
        var collection = Collection();
        var retriever = new CollectionRetriever(new ChangeTrackingCollection(collection, ownsInner: false), RetrieverKind.Hybrid, TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]));

        var chunks = await retriever.RetrieveAsync("password", 2);

        Assert.Equal("faq", chunks[0].Chunk.DocumentId);
        Assert.Equal(["password"], collection.KeywordQueries);
    }

    [Fact]
    public async Task A_collection_with_only_mevd_hybrid_search_runs_hybrid_retrieval_in_the_store()
    {
        var collection = Collection(keywords: false, hybrid: true);
        var retriever = new CollectionRetriever(new ChangeTrackingCollection(collection, ownsInner: false), RetrieverKind.Hybrid, TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]), ["tenant"]);

        var chunks = await retriever.RetrieveAsync(new RetrievalRequest("Router's password, router?") { Top = 1 }.Where("tenant", "b"));

        Assert.Equal(["faq"], chunks.Select(c => c.Chunk.DocumentId));
        Assert.Equal(["Router", "s", "password"], collection.LastKeywords);
        Assert.NotNull(collection.LastHybridOptions?.Filter);
        Assert.Empty(collection.KeywordQueries);
    }

    [Fact]
    public async Task A_collection_with_keyword_and_hybrid_search_fuses_hybrid_retrieval_in_the_store_and_keeps_keyword_retrieval_in_it_too()
    {
        var collection = Collection(keywords: true, hybrid: true);
        var hybrid = new CollectionRetriever(new ChangeTrackingCollection(collection, ownsInner: false), RetrieverKind.Hybrid, TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]), ["tenant"]);
        var keyword = new CollectionRetriever(new ChangeTrackingCollection(collection, ownsInner: false), RetrieverKind.Keyword, embeddingGenerator: null, ["tenant"]);

        var fused = await hybrid.RetrieveAsync(new RetrievalRequest("router password") { Top = 1 }.Where("tenant", "b"));

        Assert.Equal(["faq"], fused.Select(c => c.Chunk.DocumentId));
        Assert.Equal(["router", "password"], collection.LastKeywords);
        Assert.NotNull(collection.LastHybridOptions?.Filter);
        Assert.Empty(collection.KeywordQueries);

        var found = await keyword.RetrieveAsync(new RetrievalRequest("reset") { Top = 1 }.Where("tenant", "a"));

        Assert.Equal(["manual"], found.Select(c => c.Chunk.DocumentId));
        Assert.Equal(["reset"], collection.KeywordQueries);
    }

    private static ChunkRecord Tagged(ChunkRecord record, string tag)
    {
        record.Tags = [tag];
        record.Embedding = new ReadOnlyMemory<float>([1f, 0f]);
        return record;
    }
}
