using System.Security.Cryptography;
using System.Text;
using AiEng.Shared;
using Microsoft.Extensions.Caching.Distributed;

namespace AiEng.Evaluation;

/// <summary>
/// A minimal <see cref="IDistributedCache"/> that keeps each entry as a file in a directory, so that cached model
/// responses survive the process: MEAI's <c>DistributedCachingChatClient</c> over it makes a re-run with unchanged
/// prompts and options answer from disk with identical results and no model calls.
/// </summary>
/// <remarks>
/// Entries never expire (expiration options are ignored): an evaluation cache is cleared by deleting the directory.
/// Writes go to a temporary file that is then moved into place, so a crash never leaves a torn entry.
/// This is the evaluation package's own small cache; a general file-system cache can replace it, since only the
/// <see cref="IDistributedCache"/> contract is used.
/// </remarks>
public sealed class DiskResponseCache : IDistributedCache
{
    private readonly string _directory;

    /// <summary>Initializes a new instance of the <see cref="DiskResponseCache"/> class.</summary>
    /// <param name="directory">The directory; created when missing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public DiskResponseCache(string directory)
    {
        _directory = Path.GetFullPath(Throw.IfNullOrWhitespace(directory));
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        string path = PathOf(key);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        string path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, token).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Throw.IfNull(value);
        string path = PathOf(key);
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, value);
        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc />
    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Throw.IfNull(value);
        string path = PathOf(key);
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, value, token).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    /// <inheritdoc />
    public void Remove(string key) => File.Delete(PathOf(key));

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private string PathOf(string key) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Throw.IfNull(key)))) + ".json");
}
