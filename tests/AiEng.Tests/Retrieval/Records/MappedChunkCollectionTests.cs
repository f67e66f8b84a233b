using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Tests.Retrieval.Records;

public sealed class MappedChunkCollectionTests : IDisposable
{
    private readonly InMemoryVectorStore _store = new();
    private readonly TenantChunkMapper _mapper = new();
    private readonly VectorStoreCollection<Guid, TenantChunk> _records;
    private readonly VectorStoreCollection<Guid, ChunkRecord> _chunks;

    public MappedChunkCollectionTests()
    {
        _records = _store.GetCollection<Guid, TenantChunk>("mapped", _mapper.CreateDefinition(4));
        _chunks = _mapper.MapCollection(_records);
    }

    public void Dispose()
    {
        _chunks.Dispose();
        _store.Dispose();
    }

    private static ChunkRecord Chunk(string document, int index, string tenant, float[] vector)
    {
        var chunk = new ChunkRecord
        {
            Key = ChunkRecord.CreateKey(document, index),
            DocumentId = document,
            ChunkIndex = index,
            Text = $"{document} {index}",
            ContentHash = "h",
            Tags = [ChunkRecord.CreateTag("tenant", tenant)],
            Embedding = vector,
        };
        chunk.SetMetadata([new("tenant", tenant)]);
        return chunk;
    }

    [Fact]
    public async Task Chunks_are_stored_as_the_mapped_records_and_read_back_as_chunks()
    {
        await _chunks.EnsureCollectionExistsAsync();
        await _chunks.UpsertAsync([Chunk("a", 0, "acme", [1, 0, 0, 0]), Chunk("b", 0, "globex", [0, 1, 0, 0])]);

        var stored = await _records.GetAsync(ChunkRecord.CreateKey("a", 0));
        var read = await _chunks.GetAsync(ChunkRecord.CreateKey("a", 0));
        var searched = await _chunks.SearchAsync(new float[] { 0, 1, 0, 0 }, 5, new VectorSearchOptions<ChunkRecord> { Filter = new MetadataFilter().Where("tenant", "acme").ToExpression() }).ToListAsync();
        var got = await _chunks.GetAsync(r => r.DocumentId == "b", 5).ToListAsync();

        Assert.Equal(("a", 0, "acme"), (stored!.Document, stored.Position, stored.Tenant));
        Assert.Equal(("a 0", "h", "tenant=acme"), (read!.Text, read.ContentHash, Assert.Single(read.Tags)));
        Assert.Equal("acme", read.GetMetadata()["tenant"]);
        Assert.Equal("a", Assert.Single(searched).Record.DocumentId);
        Assert.Equal("b", Assert.Single(got).DocumentId);
    }

    [Fact]
    public async Task The_atomic_writer_of_the_store_is_offered_through_the_mapping()
    {
        await _chunks.EnsureCollectionExistsAsync();
        await _chunks.UpsertAsync([Chunk("a", 0, "acme", [1, 0, 0, 0]), Chunk("a", 1, "acme", [0, 1, 0, 0])]);

        var writer = Assert.IsAssignableFrom<IAtomicRecordWriter<Guid, ChunkRecord>>(_chunks.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>)));
        await writer.ReplaceAsync([ChunkRecord.CreateKey("a", 1)], [Chunk("a", 0, "globex", [1, 0, 0, 0])]);

        var left = await _records.GetAsync(r => r.Document == "a", 5).ToListAsync();
        Assert.Equal("globex", Assert.Single(left).Tenant);
    }

    [Fact]
    public async Task Options_that_name_properties_are_refused_rather_than_ignored()
    {
        await _chunks.EnsureCollectionExistsAsync();

        await Assert.ThrowsAsync<NotSupportedException>(() => _chunks.GetAsync(r => r.ChunkIndex == 0, 5, new FilteredRecordRetrievalOptions<ChunkRecord> { OrderBy = o => o.Ascending(r => r.ChunkIndex) }).ToListAsync().AsTask());
        await Assert.ThrowsAsync<NotSupportedException>(() => _chunks.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<ChunkRecord> { VectorProperty = r => r.Embedding }).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Ingestion_and_hybrid_retrieval_work_over_the_mapped_collection()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, 4));
        var ingestor = new DocumentIngestor(_chunks, generator, new RecursiveTextChunker(AiEng.Tokens.TiktokenTokenCounter.O200kBase), new DocumentIngestorOptions { FilterableFields = ["tenant"] });
        Document Doc(string id, string tenant, string text) => new(id, text) { Metadata = new Dictionary<string, string> { ["tenant"] = tenant } };

        var first = await ingestor.IngestAsync(Docs(Doc("a", "acme", "Routers need passwords."), Doc("b", "globex", "Router password reset.")));
        var again = await ingestor.IngestAsync(Docs(Doc("a", "acme", "Routers need passwords."), Doc("b", "acme", "Router password reset.")), new IngestionOptions { DeleteMissing = true });
        var keyword = await KeywordRetriever.LoadAsync(_chunks, new KeywordRetrieverOptions { FilterableFields = ["tenant"] });
        var dense = new VectorStoreRetriever(_chunks, generator, new VectorStoreRetrieverOptions { FilterableFields = ["tenant"] });
        var found = await new HybridRetriever([keyword, dense]).RetrieveAsync(new RetrievalRequest("router password").Where("tenant", "globex"));

        Assert.Equal(2, first.Added);
        Assert.Equal((1, 1), (again.Unchanged, again.Updated));
        Assert.Empty(found);
        Assert.Equal(["acme", "acme"], (await _records.GetAsync(r => r.Position == 0, 5).ToListAsync()).Select(r => r.Tenant));
    }

    private static async IAsyncEnumerable<Document> Docs(params Document[] documents)
    {
        foreach (var document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }
}
