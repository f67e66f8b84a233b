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
