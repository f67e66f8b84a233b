using AiEng.Retrieval;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests.Retrieval.Sqlite;

public sealed class SqliteKeywordIndexTests
{
    private static readonly string[] Words =
    [
        "router", "reset", "warranty", "password", "wifi", "cable", "firmware", "update", "light", "blinking",
        "power", "button", "signal", "channel", "network", "guest", "ports", "modem", "fibre", "speed",
    ];

    private static readonly string[] Queries = ["router reset", "warranty claims", "the blinking light", "guest wifi password", "fibre modem speed speed"];

    [Fact]
    public async Task Scores_equal_the_in_memory_keyword_index_after_upserts_deletes_and_replacements()
    {
        using var database = new TempDatabase();
        using var store = new SqliteVectorStore(database.Path);
        var collection = await CreateAsync(store);
        var random = new Random(7);
        var records = Enumerable.Range(0, 40).Select(i => Record("doc" + i, Text(random), i % 3 == 0 ? "Router manual" : null, i % 2 == 0 ? "tenant=a" : "tenant=b")).ToList();
        await collection.UpsertAsync(records);
        await collection.DeleteAsync([records[3].Key, records[4].Key]);
        var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;
        var replacement = Record("doc5", "warranty claims need the router receipt", "Warranty", "tenant=a");
        await writer.ReplaceAsync([records[6].Key], [replacement]);
        var live = records.Where((_, i) => i is not (3 or 4 or 5 or 6)).Append(replacement).ToList();

        var memory = new KeywordRetriever(live, new KeywordRetrieverOptions { FilterableFields = ["tenant"] });
        var searchable = Assert.IsAssignableFrom<IKeywordSearchable<ChunkRecord>>(collection.GetService(typeof(IKeywordSearchable<ChunkRecord>)));
        foreach (string query in Queries)
        {
            var expected = (await memory.RetrieveAsync(query, 100)).ToDictionary(c => c.Chunk.Key, c => c.Score);
            var actual = await searchable.KeywordSearchAsync(query, 100).ToDictionaryAsync(r => r.Record.Key, r => r.Score!.Value);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_sees_writes_at_once_and_a_restart_rebuilds_nothing()
    {
        using var database = new TempDatabase();
        using (var writerStore = new SqliteVectorStore(database.Path))
        using (var readerStore = new SqliteVectorStore(database.Path))
        {
            var writing = await CreateAsync(writerStore);
            var reading = readerStore.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2));
            var retriever = new StoreKeywordRetriever(reading);
            Assert.Empty(await retriever.RetrieveAsync("router", 5));

            await writing.UpsertAsync(Record("manual", "reset the router", null, "tenant=a"));
            Assert.Equal(["manual"], (await retriever.RetrieveAsync("router", 5)).Select(c => c.Chunk.DocumentId));

            await writing.DeleteAsync(ChunkRecord.CreateKey("manual", 0));
            await writing.UpsertAsync(Record("faq", "router password", null, "tenant=b"));
            Assert.Equal(["faq"], (await retriever.RetrieveAsync("router", 5)).Select(c => c.Chunk.DocumentId));
        }

        using var restarted = new SqliteVectorStore(database.Path);
        var chunks = await new StoreKeywordRetriever(restarted.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2))).RetrieveAsync("router password", 5);
        Assert.Equal(["faq"], chunks.Select(c => c.Chunk.DocumentId));
    }

    [Fact]
    public async Task Filters_run_in_sql_without_changing_the_statistics()
    {
        using var database = new TempDatabase();
        using var store = new SqliteVectorStore(database.Path);
        var collection = await CreateAsync(store);
        ChunkRecord[] records = [Record("a", "router reset", null, "tenant=a"), Record("b", "router reset router", null, "tenant=b"), Record("c", "warranty", null, "tenant=a")];
        await collection.UpsertAsync(records);
        var retriever = new StoreKeywordRetriever(collection, new VectorStoreRetrieverOptions { FilterableFields = ["tenant"] });

        var filtered = await retriever.RetrieveAsync(new RetrievalRequest("router") { Top = 5 }.Where("tenant", "a"));

        var memory = await new KeywordRetriever(records, new KeywordRetrieverOptions { FilterableFields = ["tenant"] }).RetrieveAsync(new RetrievalRequest("router") { Top = 5 }.Where("tenant", "a"));
        Assert.Equal(["a"], filtered.Select(c => c.Chunk.DocumentId));
        Assert.Equal(memory[0].Score, filtered[0].Score);
    }

    [Fact]
    public async Task A_failed_batch_leaves_the_keyword_index_as_it_was()
    {
        using var database = new TempDatabase();
        using var store = new SqliteVectorStore(database.Path);
        var collection = await CreateAsync(store);
        await collection.UpsertAsync(Record("a", "router reset", null, "tenant=a"));
        var bad = Record("b", "router password", null, "tenant=a");
        bad.Embedding = new ReadOnlyMemory<float>([1f, 0f, 0f]);

        await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync([Record("c", "router cable", null, "tenant=a"), bad]));

        var searchable = (IKeywordSearchable<ChunkRecord>)collection.GetService(typeof(IKeywordSearchable<ChunkRecord>))!;
        var hit = Assert.Single(await searchable.KeywordSearchAsync("router", 5).ToListAsync());
        Assert.Equal("a", hit.Record.DocumentId);
    }

    [Fact]
    public async Task A_file_written_without_a_keyword_index_is_indexed_once_when_the_collection_is_opened()
    {
        using var database = new TempDatabase();
        ChunkRecord[] records = [Record("a", "router reset", "Manual", "tenant=a"), Record("b", "warranty", null, "tenant=b")];
        using (var store = new SqliteVectorStore(database.Path))
        {
            var collection = await CreateAsync(store);
            await collection.UpsertAsync(records);
        }

        // As an earlier version left it: records, no keyword tables.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE aieng_c_chunks_kw_postings; DROP TABLE aieng_c_chunks_kw_docs; DROP TABLE aieng_c_chunks_kw_stats;";
            await drop.ExecuteNonQueryAsync();
        }

        using var reopened = new SqliteVectorStore(database.Path);
        var old = reopened.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2));
        var searchable = (IKeywordSearchable<ChunkRecord>)old.GetService(typeof(IKeywordSearchable<ChunkRecord>))!;
        var error = await Assert.ThrowsAsync<VectorStoreException>(() => searchable.KeywordSearchAsync("router", 5).ToListAsync().AsTask());
        Assert.Contains("EnsureCollectionExistsAsync", error.Message, StringComparison.Ordinal);

        await old.EnsureCollectionExistsAsync();

        var expected = await new KeywordRetriever(records).RetrieveAsync("manual router", 5);
        var hit = Assert.Single(await searchable.KeywordSearchAsync("manual router", 5).ToListAsync());
        Assert.Equal(expected[0].Score, hit.Score);
    }

    [Fact]
    public void Only_collections_with_full_text_properties_offer_keyword_search()
    {
        using var database = new TempDatabase();
        using var store = new SqliteVectorStore(database.Path);

        Assert.NotNull(store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2)).GetService(typeof(IKeywordSearchable<ChunkRecord>)));
        Assert.Null(store.GetCollection<Guid, GuidRecord>("plain").GetService(typeof(IKeywordSearchable<GuidRecord>)));
    }

    private static async Task<VectorStoreCollection<Guid, ChunkRecord>> CreateAsync(SqliteVectorStore store)
    {
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(2));
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    private static ChunkRecord Record(string documentId, string text, string? title, string tag) => new()
    {
        Key = ChunkRecord.CreateKey(documentId, 0),
        DocumentId = documentId,
        Text = text,
        Title = title,
        Tags = [tag],
        Embedding = new ReadOnlyMemory<float>([1f, 0f]),
    };

    private static string Text(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 12)).Select(_ => Words[random.Next(Words.Length)]));
}
