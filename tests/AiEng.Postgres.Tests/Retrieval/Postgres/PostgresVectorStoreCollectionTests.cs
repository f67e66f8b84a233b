using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>What the PostgreSQL collection adds beyond the conformance suite: halfvec, indexes and their settings, batching, parameterised filters, full-text search.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresVectorStoreCollectionTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    [PostgresFact]
    public async Task Halfvec_columns_round_trip_at_half_precision_and_search_like_vector_columns()
    {
        using var store = _stores.Create(o => o.VectorType = PostgresVectorType.HalfVector);
        var collection = store.GetCollection<string, ConformanceRecord>("half");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([Record("a", [1, 0, 0, 0]), Record("b", [0.333333f, 1, 0, 0]), Record("c", [0, 0, 1, 0])]);

        var read = await collection.GetAsync("b", new RecordRetrievalOptions { IncludeVectors = true });
        var results = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3).ToListAsync();

        Assert.Equal((float)(Half)0.333333f, read!.Vector.Span[0]);
        Assert.Equal(["a", "b", "c"], results.Select(r => r.Record.Id));
        Assert.Equal(1.0, results[0].Score!.Value, 3);
        Assert.Equal("halfvec(4)", await _stores.ScalarAsync($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass('{Schema(store)}.half') AND attname = 'Vector'"));
    }

    [PostgresFact]
    public async Task A_halfvec_value_beyond_its_range_is_rejected_naming_the_record_and_nothing_is_written()
    {
        using var store = _stores.Create(o => o.VectorType = PostgresVectorType.HalfVector);
        var collection = store.GetCollection<string, ConformanceRecord>("half");
        await collection.EnsureCollectionExistsAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync([Record("ok", [1, 0, 0, 0]), Record("big", [70000, 0, 0, 0])]));

        Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("65,504", error.Message, StringComparison.Ordinal);
        Assert.Null(await collection.GetAsync("ok"));
    }

    [PostgresFact]
    public async Task An_HNSW_index_is_built_with_its_parameters_and_search_settings_do_not_outlive_the_search()
    {
        using var store = _stores.Create(o =>
        {
            o.IndexKind = PostgresIndexKind.Hnsw;
            o.HnswM = 8;
            o.HnswEfConstruction = 32;
            o.HnswEfSearch = 7;
        });
        var collection = store.GetCollection<string, ConformanceRecord>("hnsw");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(1, 50).Select(i => Record($"r{i:D2}", [MathF.Cos(i), MathF.Sin(i), 0, 0])));

        var best = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).ToListAsync();
        var setting = await _stores.ScalarAsync("SHOW hnsw.ef_search");
        var index = (string?)await _stores.ScalarAsync($"SELECT indexdef FROM pg_indexes WHERE schemaname = '{Schema(store)}' AND indexdef LIKE '%USING hnsw%'");

        Assert.Equal("r44", Assert.Single(best).Record.Id); // 44 rad is 0.0177 rad past 7 turns
        Assert.Equal("40", setting);
        Assert.NotNull(index);
        Assert.Contains("vector_cosine_ops", index, StringComparison.Ordinal);
        Assert.Contains("m='8'", index, StringComparison.Ordinal);
        Assert.Contains("ef_construction='32'", index, StringComparison.Ordinal);
    }

    [PostgresTheory]
    [InlineData(true, 5)]
    [InlineData(false, 0)]
    public async Task A_selective_filter_on_an_HNSW_collection_gets_top_results_with_iterative_scans(bool iterative, int expected)
    {
        // 500 "rare" records among 5,000, all far from the query: the 10 nearest the index returns (ef_search) are common
        // ones, so filtering after the scan leaves none; scanning on until 5 pass the filter finds them. The category's
        // own index is dropped and the table is large enough for the planner to choose the HNSW index (checked with
        // EXPLAIN when the test was written): otherwise it would read the rare rows exactly and the setting would not matter.
        using var store = _stores.Create(o =>
        {
            o.IndexKind = PostgresIndexKind.Hnsw;
            o.HnswEfSearch = 10;
            o.HnswIterativeScan = iterative;
        });
        var collection = store.GetCollection<string, ConformanceRecord>("filtered");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, 5000).Select(i =>
        {
            bool rare = i % 10 == 0;
            float angle = rare ? 2.5f + (i / 5000f) : i / 5000f;
            return Record($"r{i:D4}", [MathF.Cos(angle), MathF.Sin(angle), 0.1f, 0], category: rare ? "rare" : "common");
        }));
        await _stores.ScalarAsync($"DROP INDEX {Schema(store)}.\"filtered_Category_idx\"; ANALYZE {Schema(store)}.filtered");

        var results = await collection.SearchAsync(new float[] { 1, 0, 0.1f, 0 }, 5, new() { Filter = r => r.Category == "rare" }).ToListAsync();

        Assert.Equal(expected, results.Count);
        Assert.All(results, r => Assert.Equal("rare", r.Record.Category));
    }

    [PostgresFact]
    public async Task An_IVFFlat_index_from_the_IndexKind_attribute_gets_its_lists_probes_and_the_ip_operator_class()
    {
        // The lists are chosen when the index is built (here on the empty table), so probing all 3 finds every record.
        using var store = _stores.Create(o =>
        {
            o.IvfFlatLists = 3;
            o.IvfFlatProbes = 3;
        });
        var collection = store.GetCollection<string, IvfRecord>("ivf");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new IvfRecord { Id = "a", Vector = new float[] { 1, 2 } }, new IvfRecord { Id = "b", Vector = new float[] { 3, 1 } }]);

        var results = await collection.SearchAsync(new float[] { 1, 0 }, 2).ToListAsync();
        var index = (string?)await _stores.ScalarAsync($"SELECT indexdef FROM pg_indexes WHERE schemaname = '{Schema(store)}' AND indexdef LIKE '%USING ivfflat%'");

        Assert.NotNull(index);
        Assert.Contains("vector_ip_ops", index, StringComparison.Ordinal);
        Assert.Contains("lists='3'", index, StringComparison.Ordinal);
        Assert.Equal(["b", "a"], results.Select(r => r.Record.Id));
        Assert.Equal([3.0, 1.0], results.Select(r => r.Score!.Value));
    }

    [PostgresFact]
    public async Task Upserts_are_batched_and_the_last_record_of_a_repeated_key_wins()
    {
        using var store = _stores.Create(o => o.UpsertBatchSize = 3);
        var collection = store.GetCollection<string, ConformanceRecord>("batched");
        await collection.EnsureCollectionExistsAsync();
        var records = Enumerable.Range(0, 10).Select(i => Record($"r{i}", [1, i, 0, 0], rank: i)).Append(Record("r3", [0, 0, 1, 0], rank: 99)).ToList();

        await collection.UpsertAsync(records);

        var all = await collection.GetAsync(r => r.Rank >= 0, 100).ToListAsync();
        Assert.Equal(10, all.Count);
        Assert.Equal(99, all.Single(r => r.Id == "r3").Rank);
    }

    [PostgresFact]
    public async Task Filter_values_travel_as_parameters_so_SQL_in_them_is_only_data()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<string, ConformanceRecord>("quoted");
        await collection.EnsureCollectionExistsAsync();
        const string Hostile = "x' OR '1'='1'); DROP TABLE quoted; --";
        await collection.UpsertAsync([Record("a", [1, 0, 0, 0], category: Hostile, tags: [Hostile]), Record("b", [0, 1, 0, 0], category: "x")]);
        string[] anyOf = [Hostile, "nothing"];

        var byEquality = await collection.GetAsync(r => r.Category == Hostile, 10).ToListAsync();
        var byTag = await collection.SearchAsync(new float[] { 0, 1, 0, 0 }, 10, new VectorSearchOptions<ConformanceRecord> { Filter = r => r.Tags.Contains(Hostile) }).ToListAsync();
        var byAnyOf = await collection.GetAsync(r => anyOf.Contains(r.Category), 10).ToListAsync();

        Assert.Equal("a", Assert.Single(byEquality).Id);
        Assert.Equal("a", Assert.Single(byTag).Record.Id);
        Assert.Equal("a", Assert.Single(byAnyOf).Id);
        Assert.Equal(2, (await collection.GetAsync(r => r.Rank >= 0, 10).ToListAsync()).Count);
    }

    [PostgresFact]
    public async Task OrderBy_on_a_string_property_sorts_by_code_point_as_in_CSharp()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<string, ConformanceRecord>("strings");
        await collection.EnsureCollectionExistsAsync();
        var records = new[] { "a", "B", "b", "Z", "_" }.Select((c, i) => Record($"r{i}", [1, 0, 0, 0], category: c)).ToList();
        await collection.UpsertAsync(records);

        var ordered = await collection.GetAsync(r => r.Rank >= 0, 10, new FilteredRecordRetrievalOptions<ConformanceRecord> { OrderBy = o => o.Ascending(r => r.Category) }).ToListAsync();

        Assert.Equal(records.Select(r => r.Category).Order(StringComparer.Ordinal), ordered.Select(r => r.Category));
    }

    [PostgresFact]
    public async Task Keyword_search_matches_stemmed_words_applies_the_filter_and_ranks_by_BM25()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<Guid, ChunkRecord>("words", ChunkRecord.CreateDefinition(4));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            Chunk("cats", 0, "The cats are sleeping on the sofa", "a"),
            Chunk("dogs", 0, "A dog barks at the cat", "a"),
            Chunk("both", 0, "One cat sleeps, one cat eats; cats everywhere", "b"),
            Chunk("none", 0, "Nothing to see here", "a"),
        ]);
        var keyword = Assert.IsAssignableFrom<IKeywordSearchable<ChunkRecord>>(collection.GetService(typeof(IKeywordSearchable<ChunkRecord>)));

        var all = await keyword.KeywordSearchAsync("cat", 10).ToListAsync();
        var filtered = await keyword.KeywordSearchAsync("cat", 10, new KeywordSearchOptions<ChunkRecord> { Filter = c => c.Tags.Contains("tenant=a") }).ToListAsync();
        var question = await keyword.KeywordSearchAsync("which cat sleeps on a sofa", 10).ToListAsync();
        var nothing = await keyword.KeywordSearchAsync("the of", 10).ToListAsync();

        Assert.Equal("both", all[0].Record.DocumentId);
        Assert.Equal(["both", "cats", "dogs"], all.Select(r => r.Record.DocumentId).Order(StringComparer.Ordinal));
        Assert.True(all[0].Score > all[^1].Score);
        Assert.Equal(["cats", "dogs"], filtered.Select(r => r.Record.DocumentId).Order(StringComparer.Ordinal));
        Assert.Equal("cats", question[0].Record.DocumentId); // no record has every word: the words are ORed, and "cats" shares the most
        Assert.Empty(nothing); // stop words only
    }

    [PostgresFact]
    public async Task Keyword_scores_are_BM25_over_the_collection_statistics_whatever_the_filter()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<string, TextRecord>("bm25");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([Text("a", "apple banana", "x"), Text("b", "cherry cherry apple", "y"), Text("c", "banana", "x")]);
        var keyword = (IKeywordSearchable<TextRecord>)collection;

        var cherries = await keyword.KeywordSearchAsync("cherries", 10).ToListAsync();
        var apples = await keyword.KeywordSearchAsync("apple", 10).ToListAsync();
        var filtered = await keyword.KeywordSearchAsync("apple", 10, new KeywordSearchOptions<TextRecord> { Filter = r => r.Group == "y" }).ToListAsync();

        // Three records of 2, 2 and 1 distinct lexemes: average length 5/3. "cherri" is in one record (twice), "appl" in two.
        const double K1 = 0.9, B = 0.4, AverageLength = 5.0 / 3;
        double Bm25(int documents, int tf, int length) => Math.Log(1 + ((3 - documents + 0.5) / (documents + 0.5))) * tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * length / AverageLength))));
        Assert.Equal("b", Assert.Single(cherries).Record.Id);
        Assert.Equal(Bm25(documents: 1, tf: 2, length: 2), cherries[0].Score!.Value, 9);
        Assert.Equal(["a", "b"], apples.Select(r => r.Record.Id));
        Assert.Equal(Bm25(documents: 2, tf: 1, length: 2), apples[0].Score!.Value, 9);
        Assert.Equal(apples[0].Score, apples[1].Score);
        Assert.Equal("b", Assert.Single(filtered).Record.Id);
        Assert.Equal(apples[1].Score!.Value, filtered[0].Score!.Value, 9); // the filter limits the results, not the statistics
    }

    [PostgresFact]
    public async Task The_keyword_statistics_follow_concurrent_inserts_updates_and_deletes()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<string, TextRecord>("stats");
        await collection.EnsureCollectionExistsAsync();
        string table = $"\"{Schema(store)}\".stats";
        string statistics = $"\"{Schema(store)}\".stats_aieng_stats";

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => collection.UpsertAsync(
            Enumerable.Range(0, 25).Select(i => Text($"{writer}-{i}", string.Join(' ', Enumerable.Range(0, 1 + ((writer + i) % 7)).Select(w => $"word{w}")), "g")))));
        await collection.UpsertAsync([Text("0-1", "a replaced text with other words entirely", "g"), Text("new", "one more record", "g")]);
        await collection.DeleteAsync(["1-1", "2-2", "3-3", "missing"]);

        Assert.Equal(await _stores.ScalarAsync($"SELECT count(*) FROM {table}"), await _stores.ScalarAsync($"SELECT sum(documents)::bigint FROM {statistics}"));
        Assert.Equal(await _stores.ScalarAsync($"SELECT sum(length(aieng_search))::bigint FROM {table}"), await _stores.ScalarAsync($"SELECT sum(lexemes)::bigint FROM {statistics}"));
        Assert.Equal(98L, await _stores.ScalarAsync($"SELECT sum(documents)::bigint FROM {statistics}"));

        await collection.EnsureCollectionDeletedAsync();
        Assert.Equal(true, await _stores.ScalarAsync($"SELECT to_regclass('{statistics}') IS NULL"));
    }

    [PostgresFact]
    public async Task Hybrid_search_fuses_the_vector_and_keyword_ranks_by_reciprocal_rank_with_the_filter_on_both_sides()
    {
        using var store = _stores.Create(o => o.HybridRankConstant = 10);
        var collection = store.GetCollection<Guid, ChunkRecord>("hybrid", ChunkRecord.CreateDefinition(4));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            Chunk("near", 0, "nothing about the topic", "a", [1, 0, 0, 0]),
            Chunk("both", 0, "routers reset easily", "a", [0.9f, 0.1f, 0, 0]),
            Chunk("words", 0, "reset the router, reset the router", "a", [0, 0, 1, 0]),
            Chunk("other", 0, "reset the router now", "b", [1, 0, 0, 0]),
        ]);
        var hybrid = Assert.IsAssignableFrom<IKeywordHybridSearchable<ChunkRecord>>(collection.GetService(typeof(IKeywordHybridSearchable<ChunkRecord>)));

        var results = await hybrid.HybridSearchAsync(new float[] { 1, 0, 0, 0 }, ["reset", "router"], 10, new HybridSearchOptions<ChunkRecord> { Filter = c => c.Tags.Contains("tenant=a") }).ToListAsync();

        // Vector ranks: near 1, both 2, words 3. Keyword ranks: words 1 (two of each term), both 2. "other" is filtered out of both.
        // words: 1/(10+3) + 1/(10+1) = 0.1678 > both: 1/(10+2) + 1/(10+2) = 0.1667 > near: 1/(10+1).
        Assert.Equal(["words", "both", "near"], results.Select(r => r.Record.DocumentId));
        Assert.Equal((1.0 / 13) + (1.0 / 11), results[0].Score!.Value, 9);
        Assert.Equal((1.0 / 12) + (1.0 / 12), results[1].Score!.Value, 9);
        Assert.Equal(1.0 / 11, results[2].Score!.Value, 9);
        var skipped = await hybrid.HybridSearchAsync(new float[] { 1, 0, 0, 0 }, ["reset", "router"], 1, new HybridSearchOptions<ChunkRecord> { Filter = c => c.Tags.Contains("tenant=a"), Skip = 1 }).ToListAsync();
        Assert.Equal("both", Assert.Single(skipped).Record.DocumentId);
    }

    [Fact]
    public void A_timed_out_statement_says_which_setting_to_raise_and_why_an_index_build_is_slow()
    {
        var timeout = new Npgsql.NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));
        var other = new Npgsql.NpgsqlException("Connection refused");

        string build = PostgresVectorStoreCollection<string, ConformanceRecord>.FailureMessage("EnsureCollectionExistsAsync", "docs", "db", timeout);
        string search = PostgresVectorStoreCollection<string, ConformanceRecord>.FailureMessage("SearchAsync", "docs", "db", timeout);
        string refused = PostgresVectorStoreCollection<string, ConformanceRecord>.FailureMessage("SearchAsync", "docs", "db", other);

        Assert.Contains("Command Timeout=0", build, StringComparison.Ordinal);
        Assert.Contains("building a vector index over the rows already in the table", build, StringComparison.Ordinal);
        Assert.Contains("Command Timeout", search, StringComparison.Ordinal);
        Assert.DoesNotContain("vector index over the rows", search, StringComparison.Ordinal);
        Assert.Equal("PostgreSQL failed during SearchAsync on collection 'docs' in db: Connection refused", refused);
    }

    [PostgresFact]
    public async Task A_collection_without_full_text_properties_offers_no_keyword_search()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<string, ConformanceRecord>("plain");

        Assert.Null(collection.GetService(typeof(IKeywordSearchable<ConformanceRecord>)));
        await Assert.ThrowsAsync<NotSupportedException>(() => ((IKeywordSearchable<ConformanceRecord>)collection).KeywordSearchAsync("x", 1).ToListAsync().AsTask());
    }

    [Theory]
    [InlineData("english'); DROP TABLE x; --")]
    [InlineData("")]
    [InlineData("a.b.c")]
    public void A_text_search_configuration_that_is_not_a_name_is_rejected(string configuration)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresVectorStore("Host=localhost", new PostgresVectorStoreOptions { TextSearchConfiguration = configuration }));

        Assert.Equal(nameof(PostgresVectorStoreOptions.TextSearchConfiguration), error.ParamName);
    }

    [Fact]
    public void Out_of_range_index_parameters_are_rejected_naming_the_option()
    {
        Assert.Equal("HnswM", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresVectorStore("Host=localhost", new PostgresVectorStoreOptions { HnswM = 1 })).ParamName);
        Assert.Equal("HnswEfConstruction", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresVectorStore("Host=localhost", new PostgresVectorStoreOptions { HnswM = 16, HnswEfConstruction = 20 })).ParamName);
        Assert.Equal("IvfFlatProbes", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresVectorStore("Host=localhost", new PostgresVectorStoreOptions { IvfFlatProbes = 0 })).ParamName);
        Assert.Equal("Schema", Assert.Throws<ArgumentException>(() => new PostgresVectorStore("Host=localhost", new PostgresVectorStoreOptions { Schema = new string('s', 64) })).ParamName);
    }

    private static string Schema(PostgresVectorStore store) =>
        ((VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!).VectorStoreName!.Split('/')[^1];

    private static ConformanceRecord Record(string id, float[] vector, int rank = 1, string category = "c", string[]? tags = null) =>
        new() { Id = id, Vector = vector, Rank = rank, Category = category, Tags = tags ?? [], Created = DateTimeOffset.UnixEpoch };

    private static TextRecord Text(string id, string text, string group) => new() { Id = id, Text = text, Group = group, Vector = new float[] { 1, 0 } };

    private static ChunkRecord Chunk(string documentId, int index, string text, string tenant, float[]? embedding = null) => new()
    {
        Key = ChunkRecord.CreateKey(documentId, index),
        DocumentId = documentId,
        ChunkIndex = index,
        Text = text,
        Tags = [ChunkRecord.CreateTag("tenant", tenant)],
        Embedding = embedding ?? [1, 0, 0, 0],
    };

    /// <summary>A record with one full-text-indexed property.</summary>
    public sealed class TextRecord
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Text { get; set; } = string.Empty;

        [VectorStoreData(IsIndexed = true)]
        public string Group { get; set; } = string.Empty;

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    /// <summary>A record whose vector property asks for an IVFFlat index and the dot product.</summary>
    public sealed class IvfRecord
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity, IndexKind = IndexKind.IvfFlat)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
