using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteVectorStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<VectorStoreCollection<string, Hotel>> CreateAsync(SqliteVectorStore store, string name)
    {
        var collection = store.GetCollection<string, Hotel>(name);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    [Fact]
    public async Task Records_survive_closing_and_reopening_the_file()
    {
        using (var store = new SqliteVectorStore(_database.Path))
        {
            var collection = await CreateAsync(store, "hotels");
            await collection.UpsertAsync([Hotel.Create("a", [1, 0, 0]), Hotel.Create("b", [0, 1, 0], rating: 4)]);
        }

        using var reopened = new SqliteVectorStore(_database.Path);
        var again = reopened.GetCollection<string, Hotel>("hotels");
        var b = await again.GetAsync("b", new RecordRetrievalOptions { IncludeVectors = true });
        var best = await again.SearchAsync(new float[] { 0, 1, 0 }, 1).SingleAsync();

        Assert.Equal(4, b!.Rating);
        Assert.Equal([0f, 1f, 0f], b.Vector.ToArray());
        Assert.Equal("b", best.Record.Key);
        Assert.Equal(["hotels"], await reopened.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task Reopening_a_collection_with_another_dimension_fails_naming_both_sizes()
    {
        using (var store = new SqliteVectorStore(_database.Path))
        {
            await CreateAsync(store, "hotels");
        }

        using var reopened = new SqliteVectorStore(_database.Path);
        var wider = reopened.GetCollection<string, Hotel>("hotels", Definition(dimensions: 768));

        var onEnsure = await Assert.ThrowsAsync<VectorStoreException>(() => wider.EnsureCollectionExistsAsync());
        var onSearch = await Assert.ThrowsAsync<VectorStoreException>(() => wider.SearchAsync(new float[768], 1).ToListAsync().AsTask());

        Assert.Contains("expected 3 dimensions, got 768", onEnsure.Message, StringComparison.Ordinal);
        Assert.Equal("hotels", onEnsure.CollectionName);
        Assert.Contains("768", onSearch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopening_a_collection_with_another_distance_function_fails_naming_both()
    {
        using (var store = new SqliteVectorStore(_database.Path))
        {
            await CreateAsync(store, "hotels");
        }

        using var reopened = new SqliteVectorStore(_database.Path);
        var euclidean = reopened.GetCollection<string, Hotel>("hotels", Definition(dimensions: 3, DistanceFunction.EuclideanDistance));

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => euclidean.EnsureCollectionExistsAsync());

        Assert.Contains(DistanceFunction.CosineSimilarity, ex.Message, StringComparison.Ordinal);
        Assert.Contains(DistanceFunction.EuclideanDistance, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_properties_added_later_get_a_column_when_the_collection_is_ensured_again()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var narrow = store.GetCollection<string, Hotel>("hotels", Definition(dimensions: 3));
        await narrow.EnsureCollectionExistsAsync();
        await narrow.UpsertAsync(Hotel.Create("a", [1, 0, 0], rating: 2));

        var full = await CreateAsync(store, "hotels");
        await full.UpsertAsync(Hotel.Create("b", [0, 1, 0], rating: 4));

        Assert.Equal("Hotel b", (await full.GetAsync("b"))!.Name);
        Assert.Equal(2, (await full.GetAsync("a"))!.Rating);
        Assert.True(string.IsNullOrEmpty((await full.GetAsync("a"))!.Name));
    }

    [Fact]
    public async Task Listing_existence_and_deletion_agree()
    {
        using var store = new SqliteVectorStore(_database.Path);
        await CreateAsync(store, "b-hotels");
        await CreateAsync(store, "a-hotels");

        Assert.Equal(["a-hotels", "b-hotels"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.True(await store.CollectionExistsAsync("a-hotels"));
        Assert.False(await store.CollectionExistsAsync("c-hotels"));

        await store.EnsureCollectionDeletedAsync("a-hotels");
        await store.EnsureCollectionDeletedAsync("a-hotels");
        await store.EnsureCollectionDeletedAsync("never-existed");

        Assert.Equal(["b-hotels"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.False(await store.CollectionExistsAsync("a-hotels"));
        Assert.False(await store.GetCollection<string, Hotel>("a-hotels").CollectionExistsAsync());
    }

    [Fact]
    public async Task Collection_names_with_quotes_and_spaces_are_safe()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var odd = await CreateAsync(store, "my \"odd\" name; DROP TABLE x");
        await odd.UpsertAsync(Hotel.Create("a", [1, 0, 0]));

        Assert.NotNull(await odd.GetAsync("a"));
        Assert.Equal(["my \"odd\" name; DROP TABLE x"], await store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task The_file_uses_write_ahead_logging_and_a_connection_string_is_accepted()
    {
        using var store = new SqliteVectorStore($"Data Source={_database.Path}");
        await CreateAsync(store, "hotels");

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        Assert.Equal(Path.GetFullPath(_database.Path), Path.GetFullPath(store.DataSource));
    }

    [Fact]
    public void Invalid_arguments_fail_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new SqliteVectorStore(" "));
        Assert.Throws<ArgumentException>(() => new SqliteVectorStore("Data Source=:memory:"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVectorStore(_database.Path, new SqliteVectorStoreOptions { BusyTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVectorStore(_database.Path, new SqliteVectorStoreOptions { Durability = (SqliteDurability)7 }));
    }

    [Fact]
    public void Dynamic_collections_are_not_supported()
    {
        using var store = new SqliteVectorStore(_database.Path);

        Assert.Throws<NotSupportedException>(() => store.GetDynamicCollection("x", Definition(3)));
    }

    [Fact]
    public async Task A_disposed_store_throws_ObjectDisposedException_also_from_its_collections()
    {
        var store = new SqliteVectorStore(_database.Path);
        var collection = await CreateAsync(store, "hotels");

        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => collection.GetAsync("a"));
        Assert.Throws<ObjectDisposedException>(() => store.GetCollection<string, Hotel>("hotels"));
        Assert.Throws<ObjectDisposedException>(() => store.ListCollectionNamesAsync());
    }

    [Fact]
    public void GetService_returns_the_store_metadata()
    {
        using var store = new SqliteVectorStore(_database.Path);

        var metadata = Assert.IsType<VectorStoreMetadata>(store.GetService(typeof(VectorStoreMetadata)));

        Assert.Equal("sqlite", metadata.VectorStoreSystemName);
        Assert.Same(store, store.GetService(typeof(VectorStore)));
        Assert.Null(store.GetService(typeof(string)));
    }

    private static VectorStoreCollectionDefinition Definition(int dimensions, string distance = DistanceFunction.CosineSimilarity) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Hotel.Key), typeof(string)),
            new VectorStoreDataProperty(nameof(Hotel.Rating), typeof(int)),
            new VectorStoreVectorProperty(nameof(Hotel.Vector), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = distance },
        ],
    };
}
