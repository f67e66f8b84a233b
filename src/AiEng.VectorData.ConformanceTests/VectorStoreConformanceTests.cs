using System.Linq.Expressions;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// The behaviour every AiEng vector store must have (rules 1-12, listed in docs/retrieval.md, section "Stores", item "Conformance suite"). A store's test project derives
/// a class that supplies a fresh store per test through <see cref="CreateStore"/>, and a persistent store also overrides
/// <see cref="ReopenAsync"/>. Test names start with the rule number they check.
/// </summary>
public abstract class VectorStoreConformanceTests
{
    private const string NotPersistent = "The store does not persist (ReopenAsync returned null), so the persistence rule does not apply.";

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract VectorStore CreateStore();

    /// <summary>
    /// Disposes <paramref name="store"/> and opens the same persisted data again; returns <see langword="null"/> for a
    /// store that does not persist (the persistence checks are then skipped).
    /// </summary>
    protected virtual Task<VectorStore?> ReopenAsync(VectorStore store) => Task.FromResult<VectorStore?>(null);

    /// <summary>Gets a filter the store cannot translate, or <see langword="null"/> when it supports any expression.</summary>
    protected virtual Expression<Func<ConformanceRecord, bool>>? UnsupportedFilter => null;

    // ---- 1. Record model -------------------------------------------------------------------------------------------

    /// <summary>Rule 1: Maps ChunkRecord from its attributes.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule01_Maps_ChunkRecord_from_its_attributes()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<Guid, ChunkRecord>(store, "chunks");
        var record = Chunk("doc", 0, "v1", Basis(ChunkRecord.DefaultDimensions, 3));
        record.Title = "Title";
        record.Page = 7;

        await AssertRoundTripAsync(collection, record);
    }

    /// <summary>Rule 1: Maps ChunkRecord from a definition which wins over the attributes.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule01_Maps_ChunkRecord_from_a_definition_which_wins_over_the_attributes()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks8", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();

        await AssertRoundTripAsync(collection, Chunk("doc", 1, "v1", Basis(8, 2)));
    }

    /// <summary>Rule 1: Round trips every supported data type.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule01_Round_trips_every_supported_data_type()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "types");
        var record = Full("a", [1, 2, 3, 4]);
        await collection.UpsertAsync(record);

        var read = await collection.GetAsync("a");

        Assert.NotNull(read);
        Assert.Equal(record.Category, read.Category);
        Assert.Equal(record.Rank, read.Rank);
        Assert.Equal(record.Big, read.Big);
        Assert.Equal(record.Price, read.Price);
        Assert.Equal(record.Weight, read.Weight);
        Assert.Equal(record.Active, read.Active);
        Assert.Equal(record.Created, read.Created);
        Assert.Equal(record.Reference, read.Reference);
        Assert.Equal(record.Optional, read.Optional);
        Assert.Equal(record.Tags, read.Tags);
        Assert.Equal(record.Labels, read.Labels);
    }

    /// <summary>Rule 1: Supports Guid keys and array vectors.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule01_Supports_Guid_keys_and_array_vectors()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<Guid, GuidRecord>(store, "guids");
        var id = new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        await collection.UpsertAsync(new GuidRecord { Id = id, Text = "hello", Vector = [1, 2, 3] });

        var read = await collection.GetAsync(id, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        Assert.Equal("hello", read.Text);
        Assert.Equal([1f, 2f, 3f], read.Vector!);
    }

    /// <summary>Rule 1: Rejects an unsupported data type at GetCollection naming the type and property.</summary>
    [Fact]
    public void Rule01_Rejects_an_unsupported_data_type_at_GetCollection_naming_the_type_and_property()
    {
        using var store = CreateStore();

        var error = Assert.ThrowsAny<Exception>(() => store.GetCollection<string, UnsupportedDataRecord>("bad"));

        Assert.True(error is NotSupportedException or InvalidOperationException or ArgumentException, error.GetType().Name);
        Assert.Contains(nameof(UnsupportedDataRecord), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UnsupportedDataRecord.Counts), error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rule 1: Rejects a second vector property with a clear message.</summary>
    [Fact]
    public void Rule01_Rejects_a_second_vector_property_with_a_clear_message()
    {
        using var store = CreateStore();

        var error = Assert.ThrowsAny<Exception>(() => store.GetCollection<string, TwoVectorRecord>("two"));

        Assert.True(error is NotSupportedException or InvalidOperationException, error.GetType().Name);
        Assert.Contains(nameof(TwoVectorRecord), error.Message, StringComparison.Ordinal);
    }

    // ---- 2. Collection lifecycle -----------------------------------------------------------------------------------

    /// <summary>Rule 2: EnsureCollectionExists creates idempotently and the store lists it.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule02_EnsureCollectionExists_creates_idempotently_and_the_store_lists_it()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<string, ConformanceRecord>("life");
        Assert.False(await collection.CollectionExistsAsync());
        Assert.False(await store.CollectionExistsAsync("life"));

        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));
        await collection.EnsureCollectionExistsAsync();

        Assert.True(await collection.CollectionExistsAsync());
        Assert.True(await store.CollectionExistsAsync("life"));
        Assert.Contains("life", await ToListAsync(store.ListCollectionNamesAsync()));
        Assert.NotNull(await collection.GetAsync("a"));
    }

    /// <summary>Rule 2: Operations on a missing collection throw VectorStoreException naming it.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule02_Operations_on_a_missing_collection_throw_VectorStoreException_naming_it()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<string, ConformanceRecord>("missing");

        var errors = new List<VectorStoreException>
        {
            await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(Full("a", [1, 0, 0, 0]))),
            await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync("a")),
            await Assert.ThrowsAsync<VectorStoreException>(() => collection.DeleteAsync("a")),
            await Assert.ThrowsAsync<VectorStoreException>(() => ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3))),
            await Assert.ThrowsAsync<VectorStoreException>(() => ToListAsync(collection.GetAsync(r => r.Rank > 0, 3))),
        };

        Assert.All(errors, error =>
        {
            Assert.Equal("missing", error.CollectionName);
            Assert.Contains("EnsureCollectionExistsAsync", error.Message, StringComparison.Ordinal);
        });
    }

    /// <summary>Rule 2: EnsureCollectionDeleted removes the collection and is idempotent.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule02_EnsureCollectionDeleted_removes_the_collection_and_is_idempotent()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "gone");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));

        await collection.EnsureCollectionDeletedAsync();
        await collection.EnsureCollectionDeletedAsync();
        await store.EnsureCollectionDeletedAsync("gone");

        Assert.False(await collection.CollectionExistsAsync());
        Assert.False(await store.CollectionExistsAsync("gone"));
        Assert.DoesNotContain("gone", await ToListAsync(store.ListCollectionNamesAsync()));
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync("a"));

        await collection.EnsureCollectionExistsAsync();
        Assert.Null(await collection.GetAsync("a"));
    }

    // ---- 3. Upsert, get, delete ------------------------------------------------------------------------------------

    /// <summary>Rule 3: Upsert inserts and replaces by key.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule03_Upsert_inserts_and_replaces_by_key()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "upsert");
        await collection.UpsertAsync([Full("a", [1, 0, 0, 0], rank: 1), Full("b", [0, 1, 0, 0], rank: 2)]);

        await collection.UpsertAsync(Full("a", [0, 0, 1, 0], rank: 10));

        var a = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(a);
        Assert.Equal(10, a.Rank);
        Assert.Equal([0f, 0f, 1f, 0f], a.Vector.ToArray());
        var all = await ToListAsync(collection.GetAsync(r => r.Rank > 0, 10));
        Assert.Equal(["a", "b"], all.Select(r => r.Id).Order(StringComparer.Ordinal));
        var best = Assert.Single(await ToListAsync(collection.SearchAsync(new float[] { 0, 0, 1, 0 }, 1)));
        Assert.Equal("a", best.Record.Id);
    }

    /// <summary>Rule 3: Get returns null for a missing key and only the found records for many keys.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule03_Get_returns_null_for_a_missing_key_and_only_the_found_records_for_many_keys()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "get");
        await collection.UpsertAsync([Full("a", [1, 0, 0, 0]), Full("b", [0, 1, 0, 0])]);

        Assert.Null(await collection.GetAsync("zzz"));
        var found = await ToListAsync(collection.GetAsync(["a", "nope", "b"]));

        Assert.Equal(["a", "b"], found.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>Rule 3: Deleting a missing key is a no op and deleting a key removes it from search.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule03_Deleting_a_missing_key_is_a_no_op_and_deleting_a_key_removes_it_from_search()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "delete");
        await collection.UpsertAsync([Full("a", [1, 0, 0, 0]), Full("b", [0.9f, 0.1f, 0, 0]), Full("c", [0, 1, 0, 0])]);

        await collection.DeleteAsync("missing");
        await collection.DeleteAsync("a");
        await collection.DeleteAsync(["c", "also-missing"]);

        Assert.Null(await collection.GetAsync("a"));
        var results = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 5));
        Assert.Equal(["b"], results.Select(r => r.Record.Id));
    }

    /// <summary>Rule 3: Returned and upserted records are copies.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule03_Returned_and_upserted_records_are_copies()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "copies");
        var record = Full("a", [1, 0, 0, 0], rank: 1);
        await collection.UpsertAsync(record);

        record.Rank = 99;
        record.Tags[0] = "mutated";
        record.Labels.Add("mutated");
        var read = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(read);
        read.Rank = 50;
        read.Tags[0] = "mutated";
        read.Labels.Clear();
        var again = await collection.GetAsync("a");

        Assert.NotNull(again);
        Assert.NotSame(read, again);
        Assert.Equal(1, again.Rank);
        Assert.Equal(["red", "blue"], again.Tags);
        Assert.Equal(["x"], again.Labels);
    }

    // ---- 4. IncludeVectors -----------------------------------------------------------------------------------------

    /// <summary>Rule 4: Vectors are returned only when IncludeVectors is set.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule04_Vectors_are_returned_only_when_IncludeVectors_is_set()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "vectors");
        await collection.UpsertAsync(Full("a", [1, 2, 3, 4]));
        float[] query = [1, 2, 3, 4];

        Assert.True((await collection.GetAsync("a"))!.Vector.IsEmpty);
        Assert.True((await ToListAsync(collection.GetAsync(["a"])))[0].Vector.IsEmpty);
        Assert.True((await ToListAsync(collection.SearchAsync(query, 1)))[0].Record.Vector.IsEmpty);
        Assert.True((await ToListAsync(collection.GetAsync(r => r.Rank >= 0, 1)))[0].Vector.IsEmpty);

        var withVectors = new RecordRetrievalOptions { IncludeVectors = true };
        Assert.Equal(query, (await collection.GetAsync("a", withVectors))!.Vector.ToArray());
        Assert.Equal(query, (await ToListAsync(collection.GetAsync(["a"], withVectors)))[0].Vector.ToArray());
        var searched = await ToListAsync(collection.SearchAsync(query, 1, new VectorSearchOptions<ConformanceRecord> { IncludeVectors = true }));
        Assert.Equal(query, searched[0].Record.Vector.ToArray());
        var filtered = await ToListAsync(collection.GetAsync(r => r.Rank >= 0, 1, new FilteredRecordRetrievalOptions<ConformanceRecord> { IncludeVectors = true }));
        Assert.Equal(query, filtered[0].Vector.ToArray());
    }

    // ---- 5. Dimensions ---------------------------------------------------------------------------------------------

    /// <summary>Rule 5: An upsert of the wrong dimension names both sizes and writes nothing of the batch.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule05_An_upsert_of_the_wrong_dimension_names_both_sizes_and_writes_nothing_of_the_batch()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "dims");

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => collection.UpsertAsync([Full("good", [1, 0, 0, 0]), Full("bad", [1, 0, 0, 0, 0, 0])]));

        Assert.Contains("expected 4 dimensions, got 6", error.Message, StringComparison.Ordinal);
        Assert.Null(await collection.GetAsync("good"));
        Assert.Null(await collection.GetAsync("bad"));
    }

    /// <summary>Rule 5: A search vector of the wrong dimension names both sizes.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule05_A_search_vector_of_the_wrong_dimension_names_both_sizes()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "dims");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ToListAsync(collection.SearchAsync(new float[] { 1, 0 }, 1)));

        Assert.Contains("expected 4 dimensions, got 2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rule 5: Reopening a persisted collection with another dimension fails naming both.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [SkippableFact]
    public async Task Rule05_Reopening_a_persisted_collection_with_another_dimension_fails_naming_both()
    {
        var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("reopen", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Chunk("doc", 0, "v1", Basis(8, 0)));

        using var reopened = await ReopenAsync(store);
        if (reopened is null)
        {
            store.Dispose();
        }

        Skip.If(reopened is null, NotPersistent);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var other = reopened.GetCollection<Guid, ChunkRecord>("reopen", ChunkRecord.CreateDefinition(16));
            await other.EnsureCollectionExistsAsync();
            await other.GetAsync(ChunkRecord.CreateKey("doc", 0));
        });

        Assert.Contains("8", error.Message, StringComparison.Ordinal);
        Assert.Contains("16", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rule 5: Records survive reopening a persistent store.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [SkippableFact]
    public async Task Rule05_Records_survive_reopening_a_persistent_store()
    {
        var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("persist", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        var record = Chunk("doc", 0, "v1", Basis(8, 5));
        await collection.UpsertAsync(record);

        using var reopened = await ReopenAsync(store);
        if (reopened is null)
        {
            store.Dispose();
        }

        Skip.If(reopened is null, NotPersistent);

        var again = reopened.GetCollection<Guid, ChunkRecord>("persist", ChunkRecord.CreateDefinition(8));
        var read = await again.GetAsync(record.Key, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(read);
        AssertSameChunk(record, read);
        Assert.Equal(record.Embedding.ToArray(), read.Embedding.ToArray());
    }

    // ---- 6. Search -------------------------------------------------------------------------------------------------

    /// <summary>Rule 6: Search accepts ReadOnlyMemory float arrays and Embedding.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Search_accepts_ReadOnlyMemory_float_arrays_and_Embedding()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "inputs");
        await collection.UpsertAsync([Full("a", [1, 0, 0, 0]), Full("b", [0, 1, 0, 0])]);
        float[] query = [0, 1, 0, 0];

        var byMemory = await ToListAsync(collection.SearchAsync(new ReadOnlyMemory<float>(query), 1));
        var byArray = await ToListAsync(collection.SearchAsync(query, 1));
        var byEmbedding = await ToListAsync(collection.SearchAsync(new Embedding<float>(query), 1));

        Assert.Equal("b", Assert.Single(byMemory).Record.Id);
        Assert.Equal("b", Assert.Single(byArray).Record.Id);
        Assert.Equal("b", Assert.Single(byEmbedding).Record.Id);
    }

    /// <summary>Rule 6: Search rejects other input types naming the type and top below one.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Search_rejects_other_input_types_naming_the_type_and_top_below_one()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "inputs");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => ToListAsync(collection.SearchAsync("some text", 1)));
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 0)));
    }

    /// <summary>Rule 6: Cosine scores are similarities ordered best first.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Cosine_scores_are_similarities_ordered_best_first()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "cosine");
        await collection.UpsertAsync(
        [
            Full("opposite", [-2, 0, 0, 0]),
            Full("orthogonal", [0, 3, 0, 0]),
            Full("same", [5, 0, 0, 0]),
            Full("diagonal", [1, 1, 0, 0]),
        ]);

        var results = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 4));

        Assert.Equal(["same", "diagonal", "orthogonal", "opposite"], results.Select(r => r.Record.Id));
        Assert.Equal([1.0, Math.Sqrt(0.5), 0.0, -1.0], results.Select(r => r.Score!.Value), new Tolerance(1e-5));
    }

    /// <summary>Rule 6: Dot product scores are dot products ordered best first.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Dot_product_scores_are_dot_products_ordered_best_first()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<Guid, GuidRecord>(store, "dot");
        Guid a = Guid.Parse("00000000-0000-0000-0000-00000000000a"), b = Guid.Parse("00000000-0000-0000-0000-00000000000b"), c = Guid.Parse("00000000-0000-0000-0000-00000000000c");
        await collection.UpsertAsync(
        [
            new GuidRecord { Id = a, Vector = [1, 0, 0] },
            new GuidRecord { Id = b, Vector = [2, 2, 0] },
            new GuidRecord { Id = c, Vector = [0, 0, -3] },
        ]);

        var results = await ToListAsync(collection.SearchAsync(new float[] { 1, 1, 1 }, 3));

        Assert.Equal([b, a, c], results.Select(r => r.Record.Id));
        Assert.Equal([4.0, 1.0, -3.0], results.Select(r => r.Score!.Value), new Tolerance(1e-5));
    }

    /// <summary>Rule 6: Euclidean scores are distances ordered ascending.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Euclidean_scores_are_distances_ordered_ascending()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, EuclideanRecord>(store, "euclid");
        await collection.UpsertAsync(
        [
            new EuclideanRecord { Id = "five", Vector = new Embedding<float>(new float[] { 3, 4 }) },
            new EuclideanRecord { Id = "zero", Vector = new Embedding<float>(new float[] { 0, 0 }) },
            new EuclideanRecord { Id = "one", Vector = new Embedding<float>(new float[] { 1, 0 }) },
        ]);

        var results = await ToListAsync(collection.SearchAsync(new float[] { 0, 0 }, 3));

        Assert.Equal(["zero", "one", "five"], results.Select(r => r.Record.Id));
        Assert.Equal([0.0, 1.0, 5.0], results.Select(r => r.Score!.Value), new Tolerance(1e-4));
    }

    /// <summary>Rule 6: Equal scores are ordered by key.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Equal_scores_are_ordered_by_key()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "ties");
        foreach (var id in new[] { "d", "b", "e", "a", "c" })
        {
            await collection.UpsertAsync(Full(id, [1, 1, 0, 0]));
        }

        var top3 = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3));
        var all = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10));

        Assert.Equal(["a", "b", "c"], top3.Select(r => r.Record.Id));
        Assert.Equal(["a", "b", "c", "d", "e"], all.Select(r => r.Record.Id));
    }

    /// <summary>Rule 6: Skip and ScoreThreshold are honoured.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Skip_and_ScoreThreshold_are_honoured()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "skip");
        await collection.UpsertAsync([Full("a", [1, 0, 0, 0]), Full("b", [1, 1, 0, 0]), Full("c", [0, 1, 0, 0]), Full("d", [-1, 0, 0, 0])]);
        float[] query = [1, 0, 0, 0];

        var skipped = await ToListAsync(collection.SearchAsync(query, 2, new VectorSearchOptions<ConformanceRecord> { Skip = 1 }));
        var thresholded = await ToListAsync(collection.SearchAsync(query, 4, new VectorSearchOptions<ConformanceRecord> { ScoreThreshold = 0.5 }));

        Assert.Equal(["b", "c"], skipped.Select(r => r.Record.Id));
        Assert.Equal(["a", "b"], thresholded.Select(r => r.Record.Id));
    }

    /// <summary>Rule 6: Filters support comparisons logic and list membership.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Filters_support_comparisons_logic_and_list_membership()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "filters");
        var records = Enumerable.Range(1, 8).Select(i => Full(
            $"r{i}",
            [i, 1, 0, 0],
            rank: i,
            category: i % 2 == 0 ? "even" : "odd",
            tags: i % 3 == 0 ? ["three"] : ["other"])).ToList();
        await collection.UpsertAsync(records);
        string[] wanted = ["r2", "r5"];
        var filters = new List<Expression<Func<ConformanceRecord, bool>>>
        {
            r => r.Category == "even",
            r => r.Category != "even",
            r => r.Rank < 3,
            r => r.Rank <= 3,
            r => r.Rank > 6,
            r => r.Rank >= 6,
            r => r.Category == "odd" && r.Rank > 2,
            r => r.Rank == 1 || r.Rank == 8,
            r => !(r.Rank > 2),
            r => wanted.Contains(r.Id),
            r => r.Tags.Contains("three"),
            r => r.Active,
        };

        foreach (var filter in filters)
        {
            var expected = records.Where(filter.Compile()).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
            var searched = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 20, new VectorSearchOptions<ConformanceRecord> { Filter = filter }));
            var got = await ToListAsync(collection.GetAsync(filter, 20));

            Assert.True(expected.SequenceEqual(searched.Select(r => r.Record.Id).Order(StringComparer.Ordinal)), $"search with {filter}");
            Assert.True(expected.SequenceEqual(got.Select(r => r.Id).Order(StringComparer.Ordinal)), $"get with {filter}");
        }
    }

    /// <summary>Rule 6: Filters apply before top k.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule06_Filters_apply_before_top_k()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "prefilter");
        var records = Enumerable.Range(0, 30).Select(i => Full(
            $"r{i:D2}", i < 20 ? [1, 0.01f * i, 0, 0] : [0, 1, 0.01f * i, 0], rank: i, category: i < 20 ? "near" : "far"));
        await collection.UpsertAsync(records);

        var results = await ToListAsync(collection.SearchAsync(
            new float[] { 1, 0, 0, 0 }, 5, new VectorSearchOptions<ConformanceRecord> { Filter = r => r.Category == "far" }));

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal("far", r.Record.Category));
    }

    /// <summary>Rule 6: An unsupported filter throws NotSupportedException.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [SkippableFact]
    public async Task Rule06_An_unsupported_filter_throws_NotSupportedException()
    {
        var filter = UnsupportedFilter;
        Skip.If(filter is null, "The store evaluates any filter expression (UnsupportedFilter is null), so there is no unsupported filter to check.");

        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "unsupported");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));

        await Assert.ThrowsAsync<NotSupportedException>(() => ToListAsync(collection.SearchAsync(
            new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<ConformanceRecord> { Filter = filter! })));
    }

    // ---- 7. Get by filter ------------------------------------------------------------------------------------------

    /// <summary>Rule 7: GetAsync with a filter returns up to top matches honouring skip and IncludeVectors.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule07_GetAsync_with_a_filter_returns_up_to_top_matches_honouring_skip_and_IncludeVectors()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "query");
        await collection.UpsertAsync(Enumerable.Range(1, 10).Select(i => Full($"r{i:D2}", [i, 0, 0, 1], rank: i)));

        var firstThree = await ToListAsync(collection.GetAsync(r => r.Rank > 4, 3));
        var all = await ToListAsync(collection.GetAsync(r => r.Rank > 4, 100));
        var skipped = await ToListAsync(collection.GetAsync(r => r.Rank > 4, 100, new FilteredRecordRetrievalOptions<ConformanceRecord> { Skip = 2, IncludeVectors = true }));

        Assert.Equal(3, firstThree.Count);
        Assert.All(firstThree, r => Assert.True(r.Rank > 4));
        Assert.Equal(6, all.Count);
        Assert.Equal(4, skipped.Count);
        Assert.All(skipped, r => Assert.Equal(4, r.Vector.Length));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ToListAsync(collection.GetAsync(r => r.Rank > 4, 0)));
    }

    /// <summary>Rule 7: GetAsync with a filter honours OrderBy.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule07_GetAsync_with_a_filter_honours_OrderBy()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "order");
        await collection.UpsertAsync(Enumerable.Range(1, 6).Select(i => Full($"r{i}", [1, 0, 0, 0], rank: (i * 4) % 7)));

        var descending = await ToListAsync(collection.GetAsync(
            r => r.Rank >= 0, 3, new FilteredRecordRetrievalOptions<ConformanceRecord> { OrderBy = o => o.Descending(r => r.Rank) }));

        Assert.Equal([6, 5, 4], descending.Select(r => r.Rank));
    }

    // ---- 8. Atomic writes and concurrency --------------------------------------------------------------------------

    /// <summary>Rule 8: The collection offers an atomic writer that deletes then upserts.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule08_The_collection_offers_an_atomic_writer_that_deletes_then_upserts()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("atomic", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(DocumentVersion("doc", 1, 3));

        var writer = Assert.IsAssignableFrom<IAtomicRecordWriter<Guid, ChunkRecord>>(
            collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>)));
        await writer.ReplaceAsync([.. Enumerable.Range(0, 3).Select(i => ChunkRecord.CreateKey("doc", i))], DocumentVersion("doc", 2, 2));

        var chunks = await ToListAsync(collection.GetAsync(r => r.DocumentId == "doc", 10));
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("v2", c.ContentHash));
        Assert.Null(await collection.GetAsync(ChunkRecord.CreateKey("doc", 2)));
    }

    /// <summary>Rule 8: Readers see all of a replacement or none of it.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule08_Readers_see_all_of_a_replacement_or_none_of_it()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("swap", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(DocumentVersion("noise", 0, 6));
        await collection.UpsertAsync(DocumentVersion("doc", 0, ChunkCount(0)));
        var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;
        const int Versions = 150;
        using var done = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            int checks = 0;
            while (!done.IsCancellationRequested || checks == 0)
            {
                var hits = await ToListAsync(collection.SearchAsync(Basis(8, r), 50, new VectorSearchOptions<ChunkRecord> { Filter = c => c.DocumentId == "doc" }));
                AssertOneWholeVersion(hits.Select(h => h.Record).ToList());
                AssertOneWholeVersion(await ToListAsync(collection.GetAsync(c => c.DocumentId == "doc", 50)));
                checks++;
            }

            return checks;
        })).ToList();

        for (int version = 1; version <= Versions; version++)
        {
            var keys = Enumerable.Range(0, ChunkCount(version - 1)).Select(i => ChunkRecord.CreateKey("doc", i)).ToList();
            await writer.ReplaceAsync(keys, DocumentVersion("doc", version, ChunkCount(version)));
        }

        await done.CancelAsync();
        var checks = await Task.WhenAll(readers);
        Assert.All(checks, c => Assert.True(c > 0));

        static int ChunkCount(int version) => 3 + (version % 4);

        static void AssertOneWholeVersion(List<ChunkRecord> chunks)
        {
            Assert.NotEmpty(chunks);
            var hashes = chunks.Select(c => c.ContentHash).Distinct().ToList();
            Assert.Single(hashes);
            int version = int.Parse(hashes[0].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(ChunkCount(version), chunks.Count);
        }
    }

    // ---- 9. Cancellation -------------------------------------------------------------------------------------------

    /// <summary>Rule 9: A cancelled token throws OperationCanceledException and changes nothing.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule09_A_cancelled_token_throws_OperationCanceledException_and_changes_nothing()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "cancel");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0], rank: 1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.UpsertAsync(Full("a", [0, 1, 0, 0], rank: 2), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.UpsertAsync(Full("b", [0, 1, 0, 0]), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.DeleteAsync("a", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.EnsureCollectionDeletedAsync(token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collection.GetAsync("a", cancellationToken: token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, cancellationToken: token)));
        var writer = (IAtomicRecordWriter<string, ConformanceRecord>)collection.GetService(typeof(IAtomicRecordWriter<string, ConformanceRecord>))!;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.ReplaceAsync(["a"], [Full("c", [0, 0, 1, 0])], token));

        var a = await collection.GetAsync("a");
        Assert.NotNull(a);
        Assert.Equal(1, a.Rank);
        Assert.Null(await collection.GetAsync("b"));
        Assert.Null(await collection.GetAsync("c"));
    }

    // ---- 10. Dispose -----------------------------------------------------------------------------------------------

    /// <summary>Rule 10: Using a disposed store throws ObjectDisposedException.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule10_Using_a_disposed_store_throws_ObjectDisposedException()
    {
        var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "disposed");

        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.GetCollection<string, ConformanceRecord>("other"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CollectionExistsAsync("disposed"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => collection.GetAsync("a"));
    }

    /// <summary>Rule 10: Using a disposed collection throws ObjectDisposedException.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule10_Using_a_disposed_collection_throws_ObjectDisposedException()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "disposed");

        collection.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => collection.UpsertAsync(Full("a", [1, 0, 0, 0])));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1)));
    }

    // ---- 11. Zero, NaN and infinite values --------------------------------------------------------------------------

    /// <summary>Rule 11: A zero record vector is stored and has cosine similarity 0 never NaN.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule11_A_zero_record_vector_is_stored_and_has_cosine_similarity_0_never_NaN()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "zero");
        await collection.UpsertAsync([Full("zero", [0, 0, 0, 0]), Full("same", [1, 0, 0, 0]), Full("opposite", [-1, 0, 0, 0])]);

        var results = await ToListAsync(collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3));

        Assert.Equal(["same", "zero", "opposite"], results.Select(r => r.Record.Id));
        Assert.Equal([1.0, 0.0, -1.0], results.Select(r => r.Score!.Value), new Tolerance(1e-6));
        Assert.Equal(0.0, results[1].Score);
        var read = await collection.GetAsync("zero", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal([0f, 0f, 0f, 0f], read!.Vector.ToArray());
    }

    /// <summary>Rule 11: A zero query gives every record cosine similarity 0 ordered by key.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule11_A_zero_query_gives_every_record_cosine_similarity_0_ordered_by_key()
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "zeroquery");
        await collection.UpsertAsync([Full("c", [0, 0, 1, 0]), Full("a", [1, 0, 0, 0]), Full("b", [0, 0, 0, 0])]);

        var results = await ToListAsync(collection.SearchAsync(new float[] { 0, 0, 0, 0 }, 3));

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Record.Id));
        Assert.All(results, r => Assert.Equal(0.0, r.Score));
    }

    /// <summary>Rule 11: Zero vectors under dot product and Euclidean distance score by the plain formula.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule11_Zero_vectors_under_dot_product_and_Euclidean_distance_score_by_the_plain_formula()
    {
        using var store = CreateStore();
        var dot = await CreateAsync<Guid, GuidRecord>(store, "zerodot");
        var id = new Guid("00000000-0000-0000-0000-000000000001");
        await dot.UpsertAsync(new GuidRecord { Id = id, Text = "zero", Vector = [0, 0, 0] });
        var euclidean = await CreateAsync<string, EuclideanRecord>(store, "zeroeuclid");
        await euclidean.UpsertAsync(new EuclideanRecord { Id = "p", Vector = new Embedding<float>(new float[] { 3, 4 }) });

        var byDot = Assert.Single(await ToListAsync(dot.SearchAsync(new float[] { 1, 2, 3 }, 1)));
        var byDistance = Assert.Single(await ToListAsync(euclidean.SearchAsync(new float[] { 0, 0 }, 1)));

        Assert.Equal(0.0, byDot.Score);
        Assert.Equal(5.0, byDistance.Score!.Value, 5);
    }

    /// <summary>Rule 11: An upsert with a non finite value names the key and property and writes nothing of the batch.</summary>
    /// <param name="value">The value under test.</param>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task Rule11_An_upsert_with_a_non_finite_value_names_the_key_and_property_and_writes_nothing_of_the_batch(float value)
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "nonfinite");

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => collection.UpsertAsync([Full("good", [1, 0, 0, 0]), Full("bad", [1, value, 0, 0])]));

        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ConformanceRecord.Vector), error.Message, StringComparison.Ordinal);
        Assert.Null(await collection.GetAsync("good"));
        Assert.Null(await collection.GetAsync("bad"));
    }

    /// <summary>Rule 11: A search vector with a non finite value throws ArgumentException naming the property.</summary>
    /// <param name="value">The value under test.</param>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task Rule11_A_search_vector_with_a_non_finite_value_throws_ArgumentException_naming_the_property(float value)
    {
        using var store = CreateStore();
        var collection = await CreateAsync<string, ConformanceRecord>(store, "nonfinitequery");
        await collection.UpsertAsync(Full("a", [1, 0, 0, 0]));

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => ToListAsync(collection.SearchAsync(new float[] { 1, 0, value, 0 }, 1)));

        Assert.Contains(nameof(ConformanceRecord.Vector), error.Message, StringComparison.Ordinal);
    }

    // ---- 12. Chunk metadata and filter tags -------------------------------------------------------------------------

    /// <summary>
    /// Rule 12: A chunk's metadata JSON and filter tags round trip, and metadata filters (<c>Tags.Contains</c> on a string
    /// list, any-of as <c>||</c>, conditions joined by <c>&amp;&amp;</c>) apply before top k, in search and in get.
    /// </summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Rule12_Metadata_filters_on_chunk_tags_apply_before_top_k_in_search_and_get()
    {
        using var store = CreateStore();
        var collection = store.GetCollection<Guid, ChunkRecord>("tagged", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        string[] languages = ["en", "de", "fr"];
        var records = new List<ChunkRecord>();
        for (int i = 0; i < 12; i++)
        {
            // Tenant b's chunks lie nearest the query, so a filter for tenant a must skip better matches.
            string tenant = i < 6 ? "b" : "a";
            var record = Chunk($"{tenant}-doc", i, "v1", i < 6 ? Basis(8, 0) : Basis(8, 1 + (i % 7)));
            record.SetMetadata([new("tenant", tenant), new("lang", languages[i % 3]), new("note", "x=y, \"quoted\"")]);
            record.Tags = [ChunkRecord.CreateTag("tenant", tenant), ChunkRecord.CreateTag("lang", languages[i % 3])];
            records.Add(record);
        }

        await collection.UpsertAsync(records);
        var read = (await collection.GetAsync(records[7].Key))!;
        Assert.Equal(records[7].Metadata, read.Metadata);
        Assert.Equal("x=y, \"quoted\"", read.GetMetadata()["note"]);
        Assert.Equal(records[7].Tags, read.Tags);

        var filters = new List<Expression<Func<ChunkRecord, bool>>>
        {
            new MetadataFilter().Where("tenant", "a").ToExpression(),
            new MetadataFilter().WhereAny("lang", "de", "fr").ToExpression(),
            new MetadataFilter().Where("tenant", "a").WhereAny("lang", "en", "fr").ToExpression(),
            r => r.Tags.Contains("tenant=a") && r.Tags.Contains("lang=de"),
            r => r.Tags.Contains("tenant=c"),
        };
        foreach (var filter in filters)
        {
            var expected = records.Where(filter.Compile()).Select(r => r.Key).Order().ToList();
            var searched = await ToListAsync(collection.SearchAsync(Basis(8, 0), 4, new VectorSearchOptions<ChunkRecord> { Filter = filter }));
            var got = await ToListAsync(collection.GetAsync(filter, 20));

            Assert.True(expected.SequenceEqual(got.Select(r => r.Key).Order()), $"get with {filter}");
            Assert.Equal(Math.Min(4, expected.Count), searched.Count);
            Assert.All(searched, r => Assert.Contains(r.Record.Key, expected));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Gets and creates collection <paramref name="name"/> of <paramref name="store"/>.</summary>
    protected static async Task<VectorStoreCollection<TKey, TRecord>> CreateAsync<TKey, TRecord>(VectorStore store, string name)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(store);
        var collection = store.GetCollection<TKey, TRecord>(name);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    /// <summary>Reads a whole async sequence.</summary>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Creates a <see cref="ConformanceRecord"/> with every property set.</summary>
    protected static ConformanceRecord Full(string id, float[] vector, int rank = 3, string category = "cat", string[]? tags = null) => new()
    {
        Id = id,
        Category = category,
        Rank = rank,
        Big = 1L << 40,
        Price = 12.5,
        Weight = 0.25f,
        Active = rank % 2 == 0,
        Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        Reference = new Guid("11111111-2222-3333-4444-555555555555"),
        Optional = rank > 5 ? null : rank,
        Tags = tags ?? ["red", "blue"],
        Labels = ["x"],
        Vector = vector,
    };

    /// <summary>Creates chunk <paramref name="index"/> of document <paramref name="documentId"/> at version <paramref name="version"/>.</summary>
    protected static ChunkRecord Chunk(string documentId, int index, string version, float[] embedding)
    {
        var chunk = new ChunkRecord
        {
            Key = ChunkRecord.CreateKey(documentId, index),
            DocumentId = documentId,
            ChunkIndex = index,
            Text = $"{documentId} chunk {index} {version}",
            Source = $"docs/{documentId}.md",
            StartOffset = index * 100,
            EndOffset = (index * 100) + 99,
            HeadingPath = "Intro > Part",
            ContentHash = version,
            Tags = [ChunkRecord.CreateTag("document", documentId)],
            Embedding = embedding,
        };
        chunk.SetMetadata([new("document", documentId), new("window", $"before. {documentId} chunk {index}. after")]);
        return chunk;
    }

    /// <summary>Creates the <paramref name="count"/> 8-dimension chunks of version <paramref name="version"/> of a document.</summary>
    protected static List<ChunkRecord> DocumentVersion(string documentId, int version, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Chunk(documentId, i, $"v{version}", Basis(8, (i + version) % 8)))];

    /// <summary>Returns a unit vector of <paramref name="dimensions"/> along axis <paramref name="axis"/>, with a small constant elsewhere.</summary>
    protected static float[] Basis(int dimensions, int axis)
    {
        var vector = Enumerable.Repeat(0.01f, dimensions).ToArray();
        vector[axis % dimensions] = 1;
        return vector;
    }

    private static async Task AssertRoundTripAsync(VectorStoreCollection<Guid, ChunkRecord> collection, ChunkRecord record)
    {
        await collection.UpsertAsync(record);

        var read = await collection.GetAsync(record.Key, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        AssertSameChunk(record, read);
        Assert.Equal(record.Embedding.ToArray(), read.Embedding.ToArray());
    }

    private static void AssertSameChunk(ChunkRecord expected, ChunkRecord actual)
    {
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.DocumentId, actual.DocumentId);
        Assert.Equal(expected.ChunkIndex, actual.ChunkIndex);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.StartOffset, actual.StartOffset);
        Assert.Equal(expected.EndOffset, actual.EndOffset);
        Assert.Equal(expected.HeadingPath, actual.HeadingPath);
        Assert.Equal(expected.Page, actual.Page);
        Assert.Equal(expected.ContentHash, actual.ContentHash);
        Assert.Equal(expected.Metadata, actual.Metadata);
        Assert.Equal(expected.Tags, actual.Tags);
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
