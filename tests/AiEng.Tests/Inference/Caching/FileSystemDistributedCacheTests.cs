using System.Text;
using AiEng.Inference;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Caching;

public sealed class FileSystemDistributedCacheTests
{
    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    [Fact]
    public async Task Returns_a_stored_value_from_a_new_instance_over_the_same_directory()
    {
        using var directory = new TempDirectory();
        await Create(directory).SetAsync("key", [1, 2, 3], NoExpiry);

        Assert.Equal([1, 2, 3], await Create(directory).GetAsync("key"));
        Assert.Equal([1, 2, 3], Create(directory).Get("key"));
        Assert.Null(await Create(directory).GetAsync("other"));
    }

    [Fact]
    public void Stores_keys_of_any_characters_under_safe_file_names()
    {
        using var directory = new TempDirectory();
        var cache = Create(directory);
        string[] keys = ["../../escape", "a/b\\c:d*e?f", new string('x', 5000), "ünïcødé \0 nul", string.Empty];

        for (int i = 0; i < keys.Length; i++)
        {
            cache.Set(keys[i], [(byte)i], NoExpiry);
        }

        Assert.Equal(keys.Select((_, i) => (byte)i), keys.Select(k => Assert.Single(cache.Get(k)!)));
        Assert.All(Directory.GetFiles(directory.Path, "*", SearchOption.AllDirectories), f => Assert.StartsWith(directory.Path, Path.GetFullPath(f), StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(directory.Path)!, "escape*"));
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    public void Treats_a_corrupt_entry_as_a_miss_and_removes_it(string damage)
    {
        using var directory = new TempDirectory();
        var cache = Create(directory);
        cache.Set("key", Encoding.UTF8.GetBytes("a value long enough to damage"), NoExpiry);
        string file = Assert.Single(Directory.GetFiles(directory.Path, "*.entry", SearchOption.AllDirectories));
        byte[] bytes = File.ReadAllBytes(file);
        byte[] damaged = damage switch
        {
            "truncate" => bytes[..(bytes.Length / 2)],
            "flip" => [.. bytes.Select((b, i) => i == 40 ? (byte)(b ^ 0xFF) : b)],
            _ => Encoding.UTF8.GetBytes("{ not an entry }"),
        };
        File.WriteAllBytes(file, damaged);

        Assert.Null(cache.Get("key"));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Treats_an_entry_of_another_key_as_a_miss()
    {
        using var directory = new TempDirectory();
        var cache = Create(directory);
        cache.Set("one", [1], NoExpiry);
        cache.Set("two", [2], NoExpiry);
        string[] files = Directory.GetFiles(directory.Path, "*.entry", SearchOption.AllDirectories);
        byte[] first = File.ReadAllBytes(files[0]);
        File.WriteAllBytes(files[1], first);

        Assert.Single(new[] { cache.Get("one"), cache.Get("two") }, v => v is null);
    }

    [Fact]
    public void Expires_entries_at_their_absolute_expiration()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = Create(directory, time);
        cache.Set("relative", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        cache.Set("absolute", [2], new DistributedCacheEntryOptions { AbsoluteExpiration = time.GetUtcNow().AddHours(1) });

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(cache.Get("relative"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(cache.Get("relative"));
        Assert.NotNull(cache.Get("absolute"));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Null(cache.Get("absolute"));
    }

    [Fact]
    public async Task Slides_the_expiration_of_an_entry_on_every_read_or_refresh()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = Create(directory, time);
        await cache.SetAsync("key", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(await cache.GetAsync("key"));
        time.Advance(TimeSpan.FromMinutes(4));
        await cache.RefreshAsync("key");
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(cache.Get("key"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(cache.Get("key"));
    }

    [Fact]
    public void Applies_the_default_sliding_expiration_to_entries_without_one()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = directory.Path, DefaultSlidingExpiration = TimeSpan.FromDays(1) }, time);
        cache.Set("key", [1], NoExpiry);

        time.Advance(TimeSpan.FromDays(2));

        Assert.Null(cache.Get("key"));
    }

    [Fact]
    public void Evicts_the_least_recently_used_entries_above_the_size_limit()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = directory.Path, MaxSizeBytes = 5000 }, time);
        for (int i = 0; i < 4; i++)
        {
            cache.Set($"k{i}", new byte[1000], NoExpiry);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.NotNull(cache.Get("k0"));
        time.Advance(TimeSpan.FromMinutes(1));
        cache.Set("k4", new byte[1000], NoExpiry);
        cache.Set("k5", new byte[1000], NoExpiry);

        long size = Directory.GetFiles(directory.Path, "*.entry", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.InRange(size, 1, 5000);
        Assert.NotNull(cache.Get("k0"));
        Assert.Null(cache.Get("k1"));
        Assert.NotNull(cache.Get("k5"));
    }

    [Fact]
    public async Task Serves_concurrent_readers_and_writers_of_one_key_whole_values_only()
    {
        using var directory = new TempDirectory();
        var cache = Create(directory);
        byte[][] values = [.. Enumerable.Range(1, 4).Select(v => Enumerable.Repeat((byte)v, 4096).ToArray())];

        byte[]?[] seen = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            if (i % 2 == 0)
            {
                await cache.SetAsync("shared", values[i % values.Length], NoExpiry);
                return null;
            }

            return await cache.GetAsync("shared");
        })));

        Assert.All(seen.Where(v => v is not null), v => Assert.Contains(values, candidate => candidate.AsSpan().SequenceEqual(v)));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Removes_an_entry()
    {
        using var directory = new TempDirectory();
        var cache = Create(directory);
        cache.Set("key", [1], NoExpiry);

        await cache.RemoveAsync("key");
        cache.Remove("missing");

        Assert.Null(cache.Get("key"));
    }

    [Fact]
    public void Rejects_invalid_options_and_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new FileSystemDistributedCache(null!));
        Assert.Throws<ArgumentException>(() => new FileSystemDistributedCache(new FileSystemDistributedCacheOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = "x", MaxSizeBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = "x", DefaultSlidingExpiration = TimeSpan.Zero }));
        var cache = new FileSystemDistributedCache(new FileSystemDistributedCacheOptions { Directory = "x" });
        Assert.Throws<ArgumentNullException>(() => cache.Get(null!));
        Assert.Throws<ArgumentNullException>(() => cache.Set("k", null!, NoExpiry));
        Assert.Throws<ArgumentNullException>(() => cache.Set("k", [1], null!));
    }

    [Fact]
    public void Copies_its_options()
    {
        using var directory = new TempDirectory();
        var options = new FileSystemDistributedCacheOptions { Directory = directory.Path };
        var cache = new FileSystemDistributedCache(options);

        options.Directory = directory.Combine("elsewhere");
        cache.Set("key", [1], NoExpiry);

        Assert.Equal(Path.GetFullPath(directory.Path), cache.Directory);
        Assert.False(Directory.Exists(directory.Combine("elsewhere")));
    }

    private static FileSystemDistributedCache Create(TempDirectory directory, TimeProvider? time = null) =>
        new(new FileSystemDistributedCacheOptions { Directory = directory.Path }, time);
}
