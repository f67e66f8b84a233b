using AiEng.Retrieval;
using AiEng.Testing;

namespace AiEng.Tests.Retrieval.Retrievers;

public class VectorStoreRetrieverTests
{
    private static async Task<FakeChunkCollection> CreateCollectionAsync(TestEmbeddingGenerator generator) =>
        await FakeChunkCollection.CreateAsync(
            generator,
            Chunks.Record("a", 0, "solar panels convert sunlight into electricity"),
            Chunks.Record("a", 1, "wind turbines convert wind into electricity"),
            Chunks.Record("b", 0, "bread is baked from flour water and yeast"));

    [Fact]
    public async Task Returns_the_nearest_chunks_with_the_collection_scores()
    {
        var generator = Chunks.BagOfWords();
        var collection = await CreateCollectionAsync(generator);
        var retriever = new VectorStoreRetriever(collection, generator);

        var chunks = await retriever.RetrieveAsync("how do solar panels convert sunlight into electricity", 2);

        Assert.Equal(["a#0", "a#1"], chunks.Keys());
        Assert.True(chunks[0].Score > chunks[1].Score);
        Assert.InRange(chunks[0].Score, 0.3, 1.0);
        Assert.False(collection.LastSearchOptions!.IncludeVectors);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public async Task A_query_embedding_that_holds_a_non_finite_number_fails_clearly_instead_of_finding_nothing(float bad, string shown)
    {
        var collection = await CreateCollectionAsync(Chunks.BagOfWords());
        var broken = TestEmbeddingGenerator.FromFunction(_ => [0.5f, bad, 0.5f]);
        IRetriever[] retrievers = [new VectorStoreRetriever(collection, broken), new RerankingRetriever(new VectorStoreRetriever(collection, Chunks.BagOfWords()), new MmrReranker(broken))];

        foreach (IRetriever retriever in retrievers)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => retriever.RetrieveAsync("solar panels", 2));
            Assert.Contains($"returned a query embedding holding {shown} (at position 1 of 3); an embedding must hold finite numbers", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Passes_its_filter_and_the_embeddings_flag_to_the_collection_and_copies_its_options()
    {
        var generator = Chunks.BagOfWords();
        var collection = await CreateCollectionAsync(generator);
        var options = new VectorStoreRetrieverOptions { Filter = r => r.DocumentId == "b", IncludeEmbeddings = true };
        var retriever = new VectorStoreRetriever(collection, generator, options);
        options.Filter = null;
        options.IncludeEmbeddings = false;

        var chunks = await retriever.RetrieveAsync("solar panels electricity", 5);

        Assert.Equal(["b#0"], chunks.Keys());
        Assert.True(collection.LastSearchOptions!.IncludeVectors);
    }

    [Fact]
    public async Task Checks_its_arguments()
    {
        var generator = Chunks.BagOfWords();
        var collection = await CreateCollectionAsync(generator);
        Assert.Throws<ArgumentNullException>("collection", () => new VectorStoreRetriever(null!, generator));
        Assert.Throws<ArgumentNullException>("embeddingGenerator", () => new VectorStoreRetriever(collection, null!));
        var retriever = new VectorStoreRetriever(collection, generator);
        await Assert.ThrowsAsync<ArgumentNullException>("query", () => retriever.RetrieveAsync(null!, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("top", () => retriever.RetrieveAsync("x", 0));
    }
}
