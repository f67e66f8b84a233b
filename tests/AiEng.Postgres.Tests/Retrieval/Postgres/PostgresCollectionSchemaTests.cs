using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>An existing table that differs from the record model is reported with what differs and how to migrate.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCollectionSchemaTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    [PostgresFact]
    public async Task Another_dimension_names_both_column_types_and_says_to_re_ingest()
    {
        var schema = await CreateChunksAsync(8);

        var error = await OpenAsync(schema, ChunkRecord.CreateDefinition(16));

        Assert.Contains("is vector(8)", error.Message, StringComparison.Ordinal);
        Assert.Contains("need vector(16)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ingest again", error.Message, StringComparison.Ordinal);
        Assert.Equal("chunks", error.CollectionName);
    }

    [PostgresFact]
    public async Task Another_vector_type_says_how_to_convert_the_column()
    {
        var schema = await CreateChunksAsync(8);

        var error = await OpenAsync(schema, ChunkRecord.CreateDefinition(8), o => o.VectorType = PostgresVectorType.HalfVector);

        Assert.Contains("is vector(8)", error.Message, StringComparison.Ordinal);
        Assert.Contains("need halfvec(8)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER COLUMN \"Embedding\" TYPE halfvec(8)", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Another_distance_function_names_both()
    {
        var schema = await CreateChunksAsync(8);

        var error = await OpenAsync(schema, Definition(8, DistanceFunction.EuclideanDistance));

        Assert.Contains("created for the distance function CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Contains("uses EuclideanDistance", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_vector_index_with_another_operator_class_is_reported()
    {
        var schema = await CreateChunksAsync(8, o => o.IndexKind = PostgresIndexKind.Hnsw);
        var index = (string)(await _stores.ScalarAsync($"SELECT indexname FROM pg_indexes WHERE schemaname = '{schema}' AND indexdef LIKE '%USING hnsw%'"))!;
        await _stores.ExecuteAsync($"DROP INDEX \"{schema}\".\"{index}\"; CREATE INDEX ON \"{schema}\".chunks USING hnsw (\"Embedding\" vector_l2_ops)");

        var error = await OpenAsync(schema, ChunkRecord.CreateDefinition(8));

        Assert.Contains("vector_l2_ops", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs the operator class vector_cosine_ops", error.Message, StringComparison.Ordinal);
        Assert.Contains("DROP INDEX", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_column_of_another_type_is_reported_with_the_ALTER_that_fixes_it()
    {
        var schema = await CreateChunksAsync(8);
        await _stores.ExecuteAsync($"ALTER TABLE \"{schema}\".chunks ALTER COLUMN \"ChunkIndex\" TYPE bigint");

        var error = await OpenAsync(schema, ChunkRecord.CreateDefinition(8));

        Assert.Contains("'ChunkIndex' is bigint", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER COLUMN \"ChunkIndex\" TYPE integer", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_missing_data_column_is_reported_on_use_and_added_by_EnsureCollectionExists()
    {
        var schema = await CreateChunksAsync(8);
        await _stores.ExecuteAsync($"ALTER TABLE \"{schema}\".chunks DROP COLUMN \"Source\"");
        using var store = _stores.Open(schema);
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(8));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(Guid.NewGuid()));
        Assert.Contains("no column 'Source'", error.Message, StringComparison.Ordinal);
        Assert.Contains("EnsureCollectionExistsAsync", error.Message, StringComparison.Ordinal);

        await collection.EnsureCollectionExistsAsync();
        Assert.Null(await collection.GetAsync(Guid.NewGuid()));
    }

    [PostgresFact]
    public async Task A_table_without_keyword_statistics_is_reported_on_use_and_counted_by_EnsureCollectionExists()
    {
        var schema = await CreateChunksAsync(8);
        using (var writer = _stores.Open(schema))
        {
            await writer.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(8)).UpsertAsync(
                [new ChunkRecord { Key = Guid.NewGuid(), DocumentId = "d", Text = "statistics are kept by triggers", Embedding = Enumerable.Repeat(0.5f, 8).ToArray() }]);
        }

        await _stores.ExecuteAsync($"DROP TABLE \"{schema}\".chunks_aieng_stats");
        using var store = _stores.Open(schema);
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(8));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(Guid.NewGuid()));
        Assert.Contains("no keyword statistics table", error.Message, StringComparison.Ordinal);
        Assert.Contains("call EnsureCollectionExistsAsync once", error.Message, StringComparison.Ordinal);

        await collection.EnsureCollectionExistsAsync();
        Assert.Equal(2L, await _stores.ScalarAsync($"SELECT sum(documents)::bigint FROM \"{schema}\".chunks_aieng_stats")); // "hello" and the record above
        Assert.Equal(await _stores.ScalarAsync($"SELECT sum(length(aieng_search))::bigint FROM \"{schema}\".chunks"), await _stores.ScalarAsync($"SELECT sum(lexemes)::bigint FROM \"{schema}\".chunks_aieng_stats"));
        var found = await ((IKeywordSearchable<ChunkRecord>)collection).KeywordSearchAsync("trigger", 5).ToListAsync();
        Assert.Equal("d", Assert.Single(found).Record.DocumentId);
    }

    [PostgresFact]
    public async Task Another_text_search_configuration_is_reported()
    {
        var schema = await CreateChunksAsync(8);

        var error = await OpenAsync(schema, ChunkRecord.CreateDefinition(8), o => o.TextSearchConfiguration = "simple");

        Assert.Contains("'english'::regconfig", error.Message, StringComparison.Ordinal);
        Assert.Contains("configured for the text search configuration 'simple'", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_matching_table_opens_and_keeps_its_records()
    {
        var schema = await CreateChunksAsync(8);
        using var store = _stores.Open(schema);
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(8));

        await collection.EnsureCollectionExistsAsync();

        Assert.NotNull(await collection.GetAsync(ChunkRecord.CreateKey("doc", 0)));
    }

    private static VectorStoreCollectionDefinition Definition(int dimensions, string distance)
    {
        var definition = ChunkRecord.CreateDefinition(dimensions);
        var vector = definition.Properties.OfType<VectorStoreVectorProperty>().Single();
        vector.DistanceFunction = distance;
        return definition;
    }

    private async Task<string> CreateChunksAsync(int dimensions, Action<PostgresVectorStoreOptions>? configure = null)
    {
        using var store = _stores.Create(configure);
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(dimensions));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new ChunkRecord { Key = ChunkRecord.CreateKey("doc", 0), DocumentId = "doc", Text = "hello", Embedding = Enumerable.Repeat(0.5f, dimensions).ToArray() });
        return SchemaOf(store);
    }

    private static string SchemaOf(PostgresVectorStore store) =>
        ((VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!).VectorStoreName!.Split('/')[^1];

    /// <summary>Opens collection "chunks" of <paramref name="schema"/> with <paramref name="definition"/>: both EnsureCollectionExists and a read must fail alike.</summary>
    private async Task<VectorStoreException> OpenAsync(string schema, VectorStoreCollectionDefinition definition, Action<PostgresVectorStoreOptions>? configure = null)
    {
        using var store = _stores.Open(schema, configure);
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", definition);
        var ensure = await Assert.ThrowsAsync<VectorStoreException>(() => collection.EnsureCollectionExistsAsync());
        var read = await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(Guid.NewGuid()));
        Assert.Equal(ensure.Message, read.Message);
        return ensure;
    }
}
