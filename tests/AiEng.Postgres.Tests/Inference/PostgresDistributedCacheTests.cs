using AiEng.Inference;
using AiEng.Postgres.Tests.TestSupport;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AiEng.Postgres.Tests.Inference;

/// <summary>The distributed cache in PostgreSQL: entries, expiration by the cache's clock, and an embedding cache shared by two instances.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDistributedCacheTests(PostgresServer server)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [PostgresFact]
    public async Task Entries_are_set_read_replaced_and_removed_through_both_the_sync_and_async_calls()
    {
        await WithCacheAsync(async cache =>
        {
            Assert.Null(await cache.GetAsync("a"));

            await cache.SetAsync("a", [1, 2, 3], new DistributedCacheEntryOptions());
            cache.Set("b", [], new DistributedCacheEntryOptions());
            Assert.Equal(new byte[] { 1, 2, 3 }, await cache.GetAsync("a"));
            Assert.Equal(Array.Empty<byte>(), cache.Get("b"));

            cache.Set("a", [9], new DistributedCacheEntryOptions());
            Assert.Equal(new byte[] { 9 }, cache.Get("a"));

            await cache.RemoveAsync("a");
            cache.Remove("b");
            Assert.Null(cache.Get("a"));
            Assert.Null(await cache.GetAsync("b"));
        });
    }

    [PostgresFact]
    public async Task Absolute_and_sliding_expiration_follow_the_cache_clock()
    {
        await WithCacheAsync(async cache =>
        {
            await cache.SetAsync("absolute", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
            await cache.SetAsync("sliding", [2], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5), AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(12) });

            _time.Advance(TimeSpan.FromMinutes(4));
            Assert.NotNull(await cache.GetAsync("sliding")); // read at 4: now expires at 9
            _time.Advance(TimeSpan.FromMinutes(4));
            await cache.RefreshAsync("sliding"); // refreshed at 8: now expires at 12 (its absolute cap), not 13
            _time.Advance(TimeSpan.FromMinutes(1.5));
            Assert.Equal(new byte[] { 1 }, await cache.GetAsync("absolute")); // 9.5 < 10
            Assert.Equal(new byte[] { 2 }, await cache.GetAsync("sliding"));

            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Null(await cache.GetAsync("absolute")); // 10.5
            Assert.NotNull(await cache.GetAsync("sliding"));

            _time.Advance(TimeSpan.FromMinutes(2));
            Assert.Null(await cache.GetAsync("sliding")); // 12.5: past the absolute cap however often it was read
        });
    }

    [PostgresFact]
    public async Task Expired_entries_are_deleted_by_a_later_write_after_the_deletion_interval()
    {
        string table = PostgresTables.UniqueName("aieng_cache");
        await using NpgsqlDataSource source = PostgresTables.CreateDataSource(server, maxPoolSize: 2);
        var cache = new PostgresDistributedCache(source, new PostgresDistributedCacheOptions { Table = table, ExpiredEntriesDeletionInterval = TimeSpan.FromMinutes(30) }, _time);
        try
        {
            await cache.SetAsync("old", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
            _time.Advance(TimeSpan.FromMinutes(10));
            await cache.SetAsync("new", [2], new DistributedCacheEntryOptions());
            Assert.Equal(2, await CountAsync(source, table)); // expired, but the interval has not passed

            _time.Advance(TimeSpan.FromMinutes(25));
            await cache.SetAsync("newer", [3], new DistributedCacheEntryOptions());
            Assert.Equal(2, await CountAsync(source, table));
        }
        finally
        {
            await PostgresTables.DropAsync(source, table);
        }
    }

    [PostgresFact]
    public async Task Two_instances_share_embeddings_through_the_cache_so_the_second_makes_no_call()
    {
        string table = PostgresTables.UniqueName("aieng_cache");
        await using NpgsqlDataSource first = PostgresTables.CreateDataSource(server, maxPoolSize: 1);
        await using NpgsqlDataSource second = PostgresTables.CreateDataSource(server, maxPoolSize: 1);
        try
        {
            var innerA = TestEmbeddingGenerator.FromFunction(text => [text.Length, 1, 2]);
            var innerB = TestEmbeddingGenerator.FromFunction(text => throw new InvalidOperationException("The second instance should have read the cache."));
            using IEmbeddingGenerator<string, Embedding<float>> instanceA = innerA.AsBuilder().UseEmbeddingCache(new PostgresDistributedCache(first, new PostgresDistributedCacheOptions { Table = table })).Build();
            using IEmbeddingGenerator<string, Embedding<float>> instanceB = innerB.AsBuilder().UseEmbeddingCache(new PostgresDistributedCache(second, new PostgresDistributedCacheOptions { Table = table })).Build();

            GeneratedEmbeddings<Embedding<float>> computed = await instanceA.GenerateAsync(["hello", "postgres"]);
            GeneratedEmbeddings<Embedding<float>> shared = await instanceB.GenerateAsync(["postgres", "hello"]);

            Assert.Equal(1, innerA.CallCount);
            Assert.Equal(0, innerB.CallCount);
            Assert.Equal(computed[1].Vector.ToArray(), shared[0].Vector.ToArray());
            Assert.Equal([5f, 1f, 2f], shared[1].Vector.ToArray());
        }
        finally
        {
            await PostgresTables.DropAsync(first, table);
        }
    }

    [Fact]
    public void Options_are_checked_when_the_cache_is_created()
    {
        using NpgsqlDataSource source = NpgsqlDataSource.Create("Host=localhost");

        Assert.Contains("PostgresDistributedCacheOptions.Schema", Assert.Throws<ArgumentException>(() => new PostgresDistributedCache(source, new PostgresDistributedCacheOptions { Schema = "1st" })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresDistributedCache(source, new PostgresDistributedCacheOptions { ExpiredEntriesDeletionInterval = TimeSpan.Zero }));
    }

    private static async Task<long> CountAsync(NpgsqlDataSource source, string table)
    {
        await using var command = source.CreateCommand($"SELECT count(*) FROM \"public\".\"{table}\"");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task WithCacheAsync(Func<PostgresDistributedCache, Task> body)
    {
        string table = PostgresTables.UniqueName("aieng_cache");
        await using NpgsqlDataSource source = PostgresTables.CreateDataSource(server, maxPoolSize: 2);
        try
        {
            await body(new PostgresDistributedCache(source, new PostgresDistributedCacheOptions { Table = table }, _time));
        }
        finally
        {
            await PostgresTables.DropAsync(source, table);
        }
    }
}
