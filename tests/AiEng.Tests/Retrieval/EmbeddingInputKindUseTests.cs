using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Retrieval;

/// <summary>
/// Every retrieval component that embeds says what it embeds (<see cref="EmbeddingInputKind"/>): retrievers, the MMR
/// reranker's query and the in-memory store's text search embed queries; the ingestor and the MMR reranker's candidates
/// embed documents. Asymmetric models (e5, bge) depend on it.
/// </summary>
public sealed class EmbeddingInputKindUseTests
{
    [Fact]
    public async Task The_vector_store_retriever_embeds_the_query_as_a_query()
    {
        var (generator, calls) = Recording();
        var collection = await FakeChunkCollection.CreateAsync(generator, Chunks.Record("a", 0, "solar panels make electricity"));
        calls.Clear();

        await new VectorStoreRetriever(collection, generator).RetrieveAsync("solar electricity", 1);

        Assert.Equal([("solar electricity", EmbeddingInputKind.Query)], calls);
    }

    [Fact]
    public async Task The_ingestor_embeds_chunks_as_documents()
    {
        var (generator, calls) = Recording();

        await new DocumentIngestor(new Ingestion.FakeChunkCollection(atomic: true), generator, new Ingestion.ParagraphChunker()).IngestAsync(Stream(Doc("a", "one", "two")));

        Assert.Equal([("one", EmbeddingInputKind.Document), ("two", EmbeddingInputKind.Document)], calls);
    }

    [Fact]
    public async Task HyDE_searches_with_the_passage_embedded_as_a_query()
    {
        var (generator, calls) = Recording();
        var collection = await FakeChunkCollection.CreateAsync(generator, Chunks.Record("a", 0, "solar panels make electricity"));
        calls.Clear();
        var hyde = new HydeRetriever(TestChatClient.Replying("Solar panels make electricity."), new VectorStoreRetriever(collection, generator));

        await hyde.RetrieveAsync("how do solar panels work", 1);

        Assert.Equal(
            [("Solar panels make electricity.", EmbeddingInputKind.Query), ("how do solar panels work", EmbeddingInputKind.Query)],
            calls.OrderBy(call => call.Text, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_MMR_reranker_embeds_the_query_as_a_query_and_candidates_without_a_vector_as_documents()
    {
        var (generator, calls) = Recording();

        await new MmrReranker(generator).RerankAsync("solar", Chunks.Ranked(Chunks.Record("a", 0, "solar panels"), Chunks.Record("b", 0, "wind")), 2);

        Assert.Equal([("solar", EmbeddingInputKind.Query), ("solar panels", EmbeddingInputKind.Document), ("wind", EmbeddingInputKind.Document)], calls);
    }

    [Fact]
    public async Task The_in_memory_store_embeds_a_text_search_as_a_query()
    {
        var (generator, calls) = Recording();
        using var store = new InMemoryVectorStore(new InMemoryVectorStoreOptions { EmbeddingGenerator = generator });
        var collection = store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(256));
        await collection.EnsureCollectionExistsAsync();

        await foreach (var _ in collection.SearchAsync("north", 1))
        {
        }

        Assert.Equal([("north", EmbeddingInputKind.Query)], calls);
    }

    [Fact]
    public async Task The_registered_ingestor_and_retriever_embed_documents_and_queries()
    {
        var (generator, calls) = Recording();
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:Retrieval:Retriever", "Dense")),
            builder => builder.UseEmbeddingGenerator(_ => generator).AddRetrieval());

        await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(new Document("a", "The kitten sleeps.")));
        await services.GetRequiredService<IRetriever>().RetrieveAsync("kitten", 1);

        Assert.Equal([("The kitten sleeps.", EmbeddingInputKind.Document), ("kitten", EmbeddingInputKind.Query)], calls);
    }

    /// <summary>A bag-of-words generator that records each text with the kind its call gave.</summary>
    private static (TestEmbeddingGenerator Generator, List<(string Text, EmbeddingInputKind Kind)> Calls) Recording()
    {
        var calls = new List<(string, EmbeddingInputKind)>();
        var generator = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, options, _) =>
            {
                string[] texts = [.. values];
                lock (calls)
                {
                    calls.AddRange(texts.Select(text => (text, options.GetInputKind())));
                }

                return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(text => new Embedding<float>(TestVectors.HashedBagOfWords(text, 256)))));
            },
        };
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "recording", 256);
        return (generator, calls);
    }
}
