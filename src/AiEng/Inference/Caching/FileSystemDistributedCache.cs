using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AiEng.Shared;
using Microsoft.Extensions.Caching.Distributed;

namespace AiEng.Inference;

/// <summary>
/// An <see cref="IDistributedCache"/> that keeps each entry in a file under a directory, so that cached values (for
/// example embeddings, through MEAI's <c>UseDistributedCache</c>) survive restarts without a cache server.
/// </summary>
/// <remarks>
/// <para>
/// A file is named by the SHA-256 of its key (any key is a safe file name) and holds the key, the expiration and the value,
/// followed by a SHA-256 checksum. Writes go to a temporary file that is then renamed over the entry, so a reader sees
/// the old value or the new one, never a torn file; an entry that is truncated, corrupt or belongs to another key is a
/// miss (and is deleted). Instances, and processes sharing a directory, can use the cache concurrently.
/// </para>
/// <para>
/// Expiration honours <see cref="DistributedCacheEntryOptions"/> (absolute, relative to now, sliding); a file's last-write
/// time records its last access, which sliding expiration and least-recently-used eviction
/// (<see cref="FileSystemDistributedCacheOptions.MaxSizeBytes"/>) read. Time comes from the injected <see cref="TimeProvider"/>.
/// </para>
/// <para>I/O failures on reads are misses and on writes are ignored: a cache never fails the call it serves.</para>
/// </remarks>
public sealed class FileSystemDistributedCache : IDistributedCache
{
    private const string EntryExtension = ".entry";
    private const int HeaderSize = 4 + 8 + 8 + 4;
    private const int ChecksumSize = 32;
    private static ReadOnlySpan<byte> Magic => "AEC1"u8;

    private readonly FileSystemDistributedCacheOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _trimLock = new();
    private long _approximateSize = -1;

    /// <summary>Initializes a new instance of the <see cref="FileSystemDistributedCache"/> class.</summary>
    /// <param name="options">The directory, size limit and default expiration. The options are copied.</param>
    /// <param name="timeProvider">The clock of expirations; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The directory is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size limit is less than 1, or the default sliding expiration is not positive.</exception>
    public FileSystemDistributedCache(FileSystemDistributedCacheOptions options, TimeProvider? timeProvider = null)
    {
        _options = Throw.IfNull(options).ValidateAndClone();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the full path of the cache directory.</summary>
    public string Directory => _options.Directory;

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        string path = PathOf(Throw.IfNull(key));
        return Read(path, key, ReadFile(path));
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        string path = PathOf(Throw.IfNull(key));
        token.ThrowIfCancellationRequested();
        byte[]? bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bytes = null;
        }

        return Read(path, key, bytes);
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        (string path, byte[] entry) = Prepare(key, value, options);
        WriteEntryAsync(path, entry, (temp, bytes, _) =>
        {
            File.WriteAllBytes(temp, bytes);
            return Task.CompletedTask;
        }, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        (string path, byte[] entry) = Prepare(key, value, options);
        token.ThrowIfCancellationRequested();
        return WriteEntryAsync(path, entry, File.WriteAllBytesAsync, token);
    }

    /// <inheritdoc />
    public void Refresh(string key) => _ = Get(key);

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) => GetAsync(key, token);

    /// <inheritdoc />
    public void Remove(string key) => DeleteQuietly(PathOf(Throw.IfNull(key)));

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Remove(key);
        return Task.CompletedTask;
    }

    /// <summary>Gets the path of the file of <paramref name="key"/>: a fan-out folder and the key's SHA-256.</summary>
    private string PathOf(string key)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(_options.Directory, hash[..2], hash + EntryExtension);
    }

    private static byte[]? ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses an entry; a missing, corrupt, foreign or expired entry is a miss. A hit is touched (its last access set to now).</summary>
    private byte[]? Read(string path, string key, byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        if (!TryParse(bytes, key, out long absoluteTicks, out long slidingTicks, out byte[]? value))
        {
            DeleteQuietly(path);
            return null;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (absoluteTicks != 0 && now.UtcTicks >= absoluteTicks)
        {
            DeleteQuietly(path);
            return null;
        }

        try
        {
            if (slidingTicks != 0 && now - new DateTimeOffset(File.GetLastWriteTimeUtc(path)) >= TimeSpan.FromTicks(slidingTicks))
            {
                DeleteQuietly(path);
                return null;
            }

            File.SetLastWriteTimeUtc(path, now.UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Replaced or removed meanwhile: the value read is still a consistent entry.
        }

        return value;
    }

    private static bool TryParse(byte[] bytes, string key, out long absoluteTicks, out long slidingTicks, out byte[]? value)
    {
        absoluteTicks = slidingTicks = 0;
        value = null;
        if (bytes.Length < HeaderSize + ChecksumSize || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            return false;
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(0, bytes.Length - ChecksumSize);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumSize)))
        {
            return false;
        }

        absoluteTicks = BinaryPrimitives.ReadInt64LittleEndian(body[4..]);
        slidingTicks = BinaryPrimitives.ReadInt64LittleEndian(body[12..]);
        int keyLength = BinaryPrimitives.ReadInt32LittleEndian(body[20..]);
        if (keyLength < 0 || keyLength > body.Length - HeaderSize || !body.Slice(HeaderSize, keyLength).SequenceEqual(Encoding.UTF8.GetBytes(key)))
        {
            return false;
        }

        value = body[(HeaderSize + keyLength)..].ToArray();
        return true;
    }

    private (string Path, byte[] Entry) Prepare(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Throw.IfNull(key);
        Throw.IfNull(value);
        Throw.IfNull(options);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is TimeSpan relative && (absolute is null || now + relative < absolute))
        {
            absolute = now + relative;
        }

        TimeSpan? sliding = options.SlidingExpiration ?? (absolute is null ? _options.DefaultSlidingExpiration : null);
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        var entry = new byte[HeaderSize + keyBytes.Length + value.Length + ChecksumSize];
        Magic.CopyTo(entry);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(4), absolute?.UtcTicks ?? 0);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(12), sliding?.Ticks ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(20), keyBytes.Length);
        keyBytes.CopyTo(entry.AsSpan(HeaderSize));
        value.CopyTo(entry.AsSpan(HeaderSize + keyBytes.Length));
        int bodyLength = entry.Length - ChecksumSize;
        SHA256.HashData(entry.AsSpan(0, bodyLength), entry.AsSpan(bodyLength));
        return (PathOf(key), entry);
    }

    private async Task WriteEntryAsync(string path, byte[] entry, Func<string, byte[], CancellationToken, Task> write, CancellationToken token)
    {
        string? temp = null;
        try
        {
            temp = CreateTempPath(path);
            await write(temp, entry, token).ConfigureAwait(false);
            Commit(temp, path, entry.Length);
            temp = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache write that fails is a later miss, not an error.
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    private static string CreateTempPath(string path)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return $"{path}.{Guid.NewGuid():N}.tmp";
    }

    /// <summary>Renames the written temporary file over the entry (atomic), stamps its last access and trims the cache if it grew too large.</summary>
    private void Commit(string temp, string path, int length)
    {
        File.SetLastWriteTimeUtc(temp, _timeProvider.GetUtcNow().UtcDateTime);
        File.Move(temp, path, overwrite: true);
        // The size is unknown (-1) until the first trim scans the directory.
        if (_options.MaxSizeBytes is long max && (Volatile.Read(ref _approximateSize) < 0 || Interlocked.Add(ref _approximateSize, length) > max))
        {
            Trim(max);
        }
    }

    /// <summary>Deletes the least recently used entries until the cache is at most 90% of <paramref name="max"/>.</summary>
    private void Trim(long max)
    {
        lock (_trimLock)
        {
            List<FileInfo> files;
            try
            {
                files = [.. new DirectoryInfo(_options.Directory).EnumerateFiles("*" + EntryExtension, SearchOption.AllDirectories)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return;
            }

            long total = files.Sum(f => f.Length);
            long target = max / 10 * 9;
            foreach (FileInfo file in files.OrderBy(f => f.LastWriteTimeUtc))
            {
                if (total <= target)
                {
                    break;
                }

                DeleteQuietly(file.FullName);
                total -= file.Length;
            }

            Volatile.Write(ref _approximateSize, total);
        }
    }

    private static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: another process may hold or have removed the file.
        }
    }
}
