using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteVectorStoreCollectionTests : IDisposable
{
    private static readonly float[] QueryX = [1, 0, 0];
    private readonly TempDatabase _database = new();
    private readonly SqliteVectorStore _store;

    public SqliteVectorStoreCollectionTests()
    {
        _store = new SqliteVectorStore(_database.Path);
    }

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
    }

    // a: cos 1, b: cos 0.8, c and d: cos 0 (a tie), e: cos -1 against QueryX.
    private static List<Hotel> FiveHotels() =>
    [
        Hotel.Create("a", [1, 0, 0], rating: 1, tags: ["pool", "spa"]),
        Hotel.Create("b", [0.8f, 0.6f, 0], rating: 2, tags: ["pool"]),
        Hotel.Create("d", [0, 0, 1], rating: 4, tags: []),
        Hotel.Create("c", [0, 1, 0], rating: 3, tags: ["spa"]),
        Hotel.Create("e", [-1, 0, 0], rating: 5, tags: ["gym"]),
    ];

    private async Task<VectorStoreCollection<string, Hotel>> HotelsAsync(bool fill = true)
    {
        var collection = _store.GetCollection<string, Hotel>("hotels");
        await collection.EnsureCollectionExistsAsync();
        if (fill)
        {
            await collection.UpsertAsync(FiveHotels());
        }

        return collection;
    }

    private static async Task<List<string>> SearchKeysAsync<TRecord>(VectorStoreCollection<string, TRecord> collection, float[] query, int top, VectorSearchOptions<TRecord>? options = null)
        where TRecord : class
    {
        var keys = new List<string>();
        await foreach (var result in collection.SearchAsync(query, top, options))
        {
            keys.Add(result.Record is Hotel h ? h.Key : throw new InvalidOperationException());
        }

        return keys;
    }

    private static Task<List<string>> FilterAsync(VectorStoreCollection<string, Hotel> collection, System.Linq.Expressions.Expression<Func<Hotel, bool>> filter) =>
        SearchKeysAsync(collection, QueryX, 10, new VectorSearchOptions<Hotel> { Filter = filter });

    [Fact]
    public async Task Every_supported_data_type_survives_a_round_trip()
    {
        var collection = await HotelsAsync(fill: false);
        var written = Hotel.Create("k", [0.1f, 0.2f, 0.3f], rating: 7, tags: ["x", "y"]);
        var empty = Hotel.Create("n", [1, 1, 1], rating: 1);
        await collection.UpsertAsync([written, empty]);

        var read = await collection.GetAsync("k", new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        Assert.Equal(written.Name, read.Name);
        Assert.Equal(7, read.Rating);
        Assert.Equal(10_000_000_007L, read.Visits);
        Assert.Equal(written.Price, read.Price);
        Assert.Equal(written.Score, read.Score);
        Assert.False(read.Open);
        Assert.Equal(written.Owner, read.Owner);
        Assert.Equal(written.Opened, read.Opened);
        Assert.Equal(TimeSpan.FromHours(2), read.Opened.Offset);
        Assert.Equal(14, read.Floors);
        Assert.Equal("note k", read.Note);
        Assert.Equal(["x", "y"], read.Tags);
        Assert.Equal(["l7", "all"], read.Labels);
        Assert.Equal([0.1f, 0.2f, 0.3f], read.Vector.ToArray());

        var nulls = await collection.GetAsync("n");
        Assert.NotNull(nulls);
        Assert.Null(nulls.Floors);
        Assert.Null(nulls.Note);
    }

    [Fact]
    public async Task Guid_keys_and_float_array_vectors_work()
    {
        var collection = _store.GetCollection<Guid, GuidRecord>("guids");
        await collection.EnsureCollectionExistsAsync();
        var near = Guid.NewGuid();
        var far = Guid.NewGuid();
        await collection.UpsertAsync([new GuidRecord { Id = far, Text = "far", Vector = [5, 5] }, new GuidRecord { Id = near, Text = "near", Vector = [1, 0] }]);

        var results = await collection.SearchAsync(new float[] { 1, 1 }, 2, new VectorSearchOptions<GuidRecord> { IncludeVectors = true }).ToListAsync();

        Assert.Equal([near, far], results.Select(r => r.Record.Id));
        Assert.Equal(1.0, results[0].Score!.Value, 5);
        Assert.Equal(Math.Sqrt(32), results[1].Score!.Value, 5);
        Assert.Equal([1f, 0f], results[0].Record.Vector!);
        Assert.Equal("near", (await collection.GetAsync(near))!.Text);
    }

    [Fact]
    public async Task Int_keys_and_Embedding_vectors_work_with_dot_product_scores()
    {
        var collection = _store.GetCollection<int, IntRecord>("ints");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new IntRecord { Id = 1, Text = "one", Vector = new Embedding<float>(new float[] { 1, 2 }) }, new IntRecord { Id = 2, Text = "two", Vector = new Embedding<float>(new float[] { 3, 4 }) }]);

        var results = await collection.SearchAsync(new Embedding<float>(new float[] { 1, 1 }), 2, new VectorSearchOptions<IntRecord> { IncludeVectors = true }).ToListAsync();

        Assert.Equal([2, 1], results.Select(r => r.Record.Id));
        Assert.Equal([7.0, 3.0], results.Select(r => r.Score!.Value));
        Assert.Equal([3f, 4f], results[0].Record.Vector!.Vector.ToArray());
    }

    [Fact]
    public async Task A_definition_passed_to_GetCollection_wins_over_the_attributes()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Hotel.Key), typeof(string)),
                new VectorStoreDataProperty(nameof(Hotel.Rating), typeof(int)),
                new VectorStoreVectorProperty(nameof(Hotel.Vector), typeof(ReadOnlyMemory<float>), 4) { DistanceFunction = DistanceFunction.EuclideanDistance },
            ],
        };
        var collection = _store.GetCollection<string, Hotel>("defined", definition);
        await collection.EnsureCollectionExistsAsync();

        var wrongSize = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(Hotel.Create("a", [1, 0, 0])));
        Assert.Contains("expected 4 dimensions, got 3", wrongSize.Message, StringComparison.Ordinal);

        var hotel = Hotel.Create("a", [0, 0, 0], rating: 5);
        hotel.Vector = new float[] { 0, 0, 0, 2 };
        await collection.UpsertAsync(hotel);
        var read = await collection.GetAsync("a");
        Assert.Equal(5, read!.Rating);
        Assert.Equal(string.Empty, read.Name); // not in the definition: not stored
        var result = Assert.Single(await collection.SearchAsync(new float[] { 0, 0, 0, 0 }, 1).ToListAsync());
        Assert.Equal(2.0, result.Score);
    }

    [Fact]
    public void An_unsupported_data_type_fails_at_GetCollection_naming_the_type_and_property()
    {
        var ex = Assert.Throws<NotSupportedException>(() => _store.GetCollection<string, DecimalRecord>("bad"));
        Assert.Contains(nameof(DecimalRecord), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DecimalRecord.Amount), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_vector_or_a_missing_vector_fails_at_GetCollection_naming_the_type()
    {
        var two = Assert.Throws<NotSupportedException>(() => _store.GetCollection<string, TwoVectorRecord>("two"));
        Assert.Contains(nameof(TwoVectorRecord), two.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TwoVectorRecord.Second), two.Message, StringComparison.Ordinal);

        var none = Assert.Throws<InvalidOperationException>(() => _store.GetCollection<string, NoVectorRecord>("none"));
        Assert.Contains(nameof(NoVectorRecord), none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_on_a_collection_that_does_not_exist_throw_VectorStoreException_naming_it()
    {
        var collection = _store.GetCollection<string, Hotel>("missing");
        var operations = new Func<Task>[]
        {
            () => collection.GetAsync("a"),
            () => collection.GetAsync(["a"]).ToListAsync().AsTask(),
            () => collection.GetAsync(h => h.Rating > 1, 3).ToListAsync().AsTask(),
            () => collection.UpsertAsync(Hotel.Create("a", [1, 0, 0])),
            () => collection.DeleteAsync("a"),
            () => collection.SearchAsync(QueryX, 3).ToListAsync().AsTask(),
        };

        foreach (var operation in operations)
        {
            var ex = await Assert.ThrowsAsync<VectorStoreException>(operation);
            Assert.Equal("missing", ex.CollectionName);
            Assert.Contains("EnsureCollectionExistsAsync", ex.Message, StringComparison.Ordinal);
        }

        Assert.False(await collection.CollectionExistsAsync());
    }

    [Fact]
    public async Task EnsureCollectionExistsAsync_is_idempotent_and_keeps_the_records()
    {
        var collection = await HotelsAsync();

        await collection.EnsureCollectionExistsAsync();

        Assert.True(await collection.CollectionExistsAsync());
        Assert.NotNull(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task EnsureCollectionDeletedAsync_removes_the_collection_and_is_idempotent()
    {
        var collection = await HotelsAsync();

        await collection.EnsureCollectionDeletedAsync();
        await collection.EnsureCollectionDeletedAsync();

        Assert.False(await collection.CollectionExistsAsync());
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync("a"));
        await collection.EnsureCollectionExistsAsync();
        Assert.Null(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task Upsert_inserts_and_replaces_by_key()
    {
        var collection = await HotelsAsync();

        var replacement = Hotel.Create("a", [0, 1, 0], rating: 9);
        await collection.UpsertAsync(replacement);

        var read = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(9, read!.Rating);
        Assert.Equal([0f, 1f, 0f], read.Vector.ToArray());
        Assert.Equal(5, (await collection.GetAsync(h => h.Rating > 0, 100).ToListAsync()).Count);
    }

    [Fact]
    public async Task GetAsync_returns_null_for_a_missing_key_and_only_the_found_records_for_several_keys()
    {
        var collection = await HotelsAsync();

        Assert.Null(await collection.GetAsync("zzz"));
        var found = await collection.GetAsync(["c", "zzz", "a"]).ToListAsync();

        Assert.Equal(["c", "a"], found.Select(h => h.Key));
    }

    [Fact]
    public async Task Deleting_removes_records_and_a_missing_key_is_a_no_op()
    {
        var collection = await HotelsAsync();

        await collection.DeleteAsync("zzz");
        await collection.DeleteAsync("a");
        await collection.DeleteAsync(["b", "c", "yyy"]);

        Assert.Equal(["d", "e"], (await collection.GetAsync(h => true, 10).ToListAsync()).Select(h => h.Key));
    }

    [Fact]
    public async Task Returned_records_are_new_objects_that_do_not_share_state_with_the_store()
    {
        var collection = await HotelsAsync(fill: false);
        var vector = new float[] { 1, 0, 0 };
        var hotel = Hotel.Create("a", vector);
        await collection.UpsertAsync(hotel);

        hotel.Name = "changed after upsert";
        vector[0] = 42;
        hotel.Tags[0] = "changed";
        var first = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        first!.Name = "changed after get";
        var second = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotSame(hotel, first);
        Assert.NotSame(first, second);
        Assert.Equal("Hotel a", second!.Name);
        Assert.Equal(["t3"], second.Tags);
        Assert.Equal([1f, 0f, 0f], second.Vector.ToArray());
    }

    [Fact]
    public async Task Vectors_are_returned_only_when_IncludeVectors_is_true()
    {
        var collection = await HotelsAsync();

        Assert.True((await collection.GetAsync("a"))!.Vector.IsEmpty);
        Assert.All(await collection.GetAsync(["a", "b"]).ToListAsync(), h => Assert.True(h.Vector.IsEmpty));
        Assert.All(await collection.GetAsync(h => true, 5).ToListAsync(), h => Assert.True(h.Vector.IsEmpty));
        Assert.All(await collection.SearchAsync(QueryX, 5).ToListAsync(), r => Assert.True(r.Record.Vector.IsEmpty));

        var byKeys = await collection.GetAsync(["a"], new RecordRetrievalOptions { IncludeVectors = true }).SingleAsync();
        var byFilter = await collection.GetAsync(h => h.Key == "a", 5, new FilteredRecordRetrievalOptions<Hotel> { IncludeVectors = true }).SingleAsync();
        var bySearch = await collection.SearchAsync(QueryX, 1, new VectorSearchOptions<Hotel> { IncludeVectors = true }).SingleAsync();
        Assert.Equal(QueryX, byKeys.Vector.ToArray());
        Assert.Equal(QueryX, byFilter.Vector.ToArray());
        Assert.Equal(QueryX, bySearch.Record.Vector.ToArray());
    }

    [Fact]
    public async Task A_vector_of_the_wrong_size_fails_the_upsert_naming_both_sizes_and_writes_nothing_of_the_batch()
    {
        var collection = await HotelsAsync(fill: false);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync([Hotel.Create("ok", [1, 0, 0]), Hotel.Create("bad", [1, 0])]));

        Assert.Contains("expected 3 dimensions, got 2", ex.Message, StringComparison.Ordinal);
        Assert.Null(await collection.GetAsync("ok"));
        Assert.Null(await collection.GetAsync("bad"));
    }

    [Fact]
    public async Task A_search_vector_of_the_wrong_size_fails_naming_both_sizes()
    {
        var collection = await HotelsAsync();

        var ex = Assert.Throws<ArgumentException>(() => collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3));

        Assert.Contains("expected 3 dimensions, got 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_accepts_memory_arrays_and_embeddings_and_rejects_other_inputs_naming_the_type()
    {
        var collection = await HotelsAsync();

        var fromArray = await SearchKeysAsync(collection, QueryX, 5);
        var fromMemory = (await collection.SearchAsync(new ReadOnlyMemory<float>(QueryX), 5).ToListAsync()).Select(r => r.Record.Key);
        var fromEmbedding = (await collection.SearchAsync(new Embedding<float>(QueryX), 5).ToListAsync()).Select(r => r.Record.Key);

        Assert.Equal(fromArray, fromMemory);
        Assert.Equal(fromArray, fromEmbedding);
        var ex = Assert.Throws<NotSupportedException>(() => collection.SearchAsync("a text", 5));
        Assert.Contains("System.String", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_rejects_a_top_below_one()
    {
        var collection = await HotelsAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => collection.SearchAsync(QueryX, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => collection.GetAsync(h => true, 0));
    }

    [Fact]
    public async Task Cosine_results_come_best_first_with_cosine_scores_and_ties_broken_by_key()
    {
        var collection = await HotelsAsync();

        var results = await collection.SearchAsync(QueryX, 5).ToListAsync();

        Assert.Equal(["a", "b", "c", "d", "e"], results.Select(r => r.Record.Key));
        Assert.Equal([1.0, 0.8, 0.0, 0.0, -1.0], results.Select(r => Math.Round(r.Score!.Value, 5)));
    }

    [Fact]
    public async Task Ties_are_broken_by_key_even_when_top_cuts_through_them()
    {
        var collection = await HotelsAsync(fill: false);
        await collection.UpsertAsync(Enumerable.Range(0, 20).Reverse().Select(i => Hotel.Create($"k{i:D2}", [0, 1, 0])));

        var keys = await SearchKeysAsync(collection, QueryX, 3);

        Assert.Equal(["k00", "k01", "k02"], keys);
    }

    [Fact]
    public async Task Euclidean_distance_results_come_in_ascending_order()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Hotel.Key), typeof(string)),
                new VectorStoreVectorProperty(nameof(Hotel.Vector), typeof(ReadOnlyMemory<float>), 3) { DistanceFunction = DistanceFunction.EuclideanDistance },
            ],
        };
        var collection = _store.GetCollection<string, Hotel>("euclid", definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(FiveHotels());

        var results = await collection.SearchAsync(QueryX, 3).ToListAsync();

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Record.Key));
        Assert.Equal([0.0, Math.Sqrt(0.04 + 0.36), Math.Sqrt(2)], results.Select(r => r.Score!.Value), new ToleranceComparer(1e-5));
    }

    [Fact]
    public async Task Skip_and_ScoreThreshold_are_honoured()
    {
        var collection = await HotelsAsync();

        var skipped = await SearchKeysAsync(collection, QueryX, 2, new VectorSearchOptions<Hotel> { Skip = 1 });
        var thresholded = await SearchKeysAsync(collection, QueryX, 5, new VectorSearchOptions<Hotel> { ScoreThreshold = 0.5 });

        Assert.Equal(["b", "c"], skipped);
        Assert.Equal(["a", "b"], thresholded);
    }

    [Fact]
    public async Task Filters_support_comparisons_and_logical_operators()
    {
        var collection = await HotelsAsync();
        var three = 3;

        Assert.Equal(["c"], await FilterAsync(collection, h => h.Rating == three));
        Assert.Equal(["a", "b", "d", "e"], await FilterAsync(collection, h => h.Rating != 3));
        Assert.Equal(["a", "b"], await FilterAsync(collection, h => h.Rating < 3));
        Assert.Equal(["a", "b", "c"], await FilterAsync(collection, h => h.Rating <= 3));
        Assert.Equal(["d", "e"], await FilterAsync(collection, h => h.Rating > 3));
        Assert.Equal(["c", "d", "e"], await FilterAsync(collection, h => 3 <= h.Rating));
        Assert.Equal(["b", "c"], await FilterAsync(collection, h => h.Rating > 1 && h.Rating < 4));
        Assert.Equal(["a", "e"], await FilterAsync(collection, h => h.Rating == 1 || h.Name == "Hotel e"));
        Assert.Equal(["a", "b", "c"], await FilterAsync(collection, h => !(h.Rating > 3)));
        Assert.Equal(["b", "d"], await FilterAsync(collection, h => h.Open));
        Assert.Equal(["a", "c", "e"], await FilterAsync(collection, h => !h.Open));
        Assert.Equal(["e"], await FilterAsync(collection, h => h.Price > 104.0 && h.Visits >= 10_000_000_005L && h.Score > 1.1f));
        Assert.Equal(["c"], await FilterAsync(collection, h => h.Owner == new Guid(3, 0, 0, new byte[8])));
        Assert.Equal(["d", "e"], await FilterAsync(collection, h => h.Opened > new DateTimeOffset(2024, 1, 3, 12, 0, 0, TimeSpan.FromHours(2))));
        Assert.Equal(["c"], await FilterAsync(collection, h => h.Opened == new DateTimeOffset(2024, 1, 3, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(["b"], await FilterAsync(collection, h => h.Key == "b"));
    }

    [Fact]
    public async Task Filters_on_nullable_properties_follow_CSharp_null_semantics()
    {
        var collection = await HotelsAsync();

        Assert.Equal(["a"], await FilterAsync(collection, h => h.Floors == null));
        Assert.Equal(["a"], await FilterAsync(collection, h => h.Note == null));
        Assert.Equal(["a", "b", "c", "e"], await FilterAsync(collection, h => h.Floors != 8));
        Assert.Equal(["a", "b"], await FilterAsync(collection, h => !(h.Floors > 4)));
    }

    [Fact]
    public async Task Filters_support_Contains_on_captured_values_and_on_string_list_properties()
    {
        var collection = await HotelsAsync();
        string[] keys = ["e", "a", "x"];
        var ratings = new List<int> { 2, 4 };

        Assert.Equal(["a", "e"], await FilterAsync(collection, h => keys.Contains(h.Key)));
        Assert.Equal(["b", "d"], await FilterAsync(collection, h => ratings.Contains(h.Rating)));
        Assert.Equal(["a", "b"], await FilterAsync(collection, h => h.Tags.Contains("pool")));
        Assert.Equal(["a", "c"], await FilterAsync(collection, h => h.Tags.Contains("spa") && !h.Tags.Contains("gym")));
        Assert.Equal(["c"], await FilterAsync(collection, h => h.Labels.Contains("l3")));
        Assert.Empty(await FilterAsync(collection, h => Array.Empty<string>().Contains(h.Key)));
    }

    [Fact]
    public async Task An_unsupported_filter_throws_NotSupportedException_naming_the_construct()
    {
        var collection = await HotelsAsync();

        var method = Assert.Throws<NotSupportedException>(() => collection.SearchAsync(QueryX, 3, new VectorSearchOptions<Hotel> { Filter = h => h.Name.StartsWith("Hotel", StringComparison.Ordinal) }));
        var substring = Assert.Throws<NotSupportedException>(() => collection.GetAsync(h => h.Name.Contains("ote"), 3));
        var twoProperties = Assert.Throws<NotSupportedException>(() => collection.GetAsync(h => h.Rating == h.Floors, 3));

        Assert.Contains("StartsWith", method.Message, StringComparison.Ordinal);
        Assert.Contains("string.Contains", substring.Message, StringComparison.Ordinal);
        Assert.Contains("comparison", twoProperties.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_apply_before_top_k()
    {
        var collection = await HotelsAsync(fill: false);
        var near = Enumerable.Range(0, 50).Select(i => Hotel.Create($"near{i:D2}", [1, 0.01f * i, 0], rating: 1));
        var far = Enumerable.Range(0, 3).Select(i => Hotel.Create($"far{i}", [-1, 0.1f * i, 0], rating: 2));
        await collection.UpsertAsync(near.Concat(far));

        var keys = await SearchKeysAsync(collection, QueryX, 3, new VectorSearchOptions<Hotel> { Filter = h => h.Rating == 2 });

        Assert.Equal(["far2", "far1", "far0"], keys); // cosine -1/sqrt(1 + 0.01 i²): the larger i, the closer
    }

    [Fact]
    public async Task GetAsync_with_a_filter_honours_top_skip_order_and_vectors()
    {
        var collection = await HotelsAsync();

        var byKey = await collection.GetAsync(h => h.Rating > 1, 2).ToListAsync();
        var skipped = await collection.GetAsync(h => h.Rating > 1, 10, new FilteredRecordRetrievalOptions<Hotel> { Skip = 3 }).ToListAsync();
        var ordered = await collection.GetAsync(h => true, 3, new FilteredRecordRetrievalOptions<Hotel> { OrderBy = o => o.Descending(h => h.Rating), IncludeVectors = true }).ToListAsync();

        Assert.Equal(["b", "c"], byKey.Select(h => h.Key));
        Assert.Equal(["e"], skipped.Select(h => h.Key));
        Assert.Equal(["e", "d", "c"], ordered.Select(h => h.Key));
        Assert.Equal([-1f, 0f, 0f], ordered[0].Vector.ToArray());
    }

    [Fact]
    public async Task GetService_offers_the_atomic_writer_and_the_collection_metadata()
    {
        var collection = await HotelsAsync();

        Assert.IsAssignableFrom<IAtomicRecordWriter<string, Hotel>>(collection.GetService(typeof(IAtomicRecordWriter<string, Hotel>)));
        var metadata = Assert.IsType<VectorStoreCollectionMetadata>(collection.GetService(typeof(VectorStoreCollectionMetadata)));
        Assert.Equal("sqlite", metadata.VectorStoreSystemName);
        Assert.Equal("hotels", metadata.CollectionName);
        Assert.Same(collection, collection.GetService(typeof(SqliteVectorStoreCollection<string, Hotel>)));
        Assert.Null(collection.GetService(typeof(IAtomicRecordWriter<string, Hotel>), serviceKey: "other"));
    }

    [Fact]
    public async Task A_cancelled_token_throws_and_changes_nothing()
    {
        var collection = await HotelsAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.UpsertAsync(Hotel.Create("new", [1, 0, 0]), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.DeleteAsync("a", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.SearchAsync(QueryX, 3, cancellationToken: cancelled.Token).ToListAsync().AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.GetAsync("a", cancellationToken: cancelled.Token));

        Assert.Null(await collection.GetAsync("new"));
        Assert.NotNull(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task A_disposed_collection_throws_ObjectDisposedException()
    {
        var collection = await HotelsAsync();

        collection.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => collection.GetAsync("a"));
        Assert.Throws<ObjectDisposedException>(() => collection.SearchAsync(QueryX, 3));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
