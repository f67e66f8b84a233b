namespace AiEng.Inference;

/// <summary>Options of a <see cref="FileSystemDistributedCache"/>: where entries live, how large the cache may grow and when entries expire.</summary>
public sealed class FileSystemDistributedCacheOptions
{
    /// <summary>Gets or sets the directory of the cache files; created when missing. Required.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the size in bytes above which the least recently used entries are deleted (down to 90% of it), or
    /// <see langword="null"/> (the default) for no limit. The size is checked after writes, so it can be exceeded briefly.
    /// </summary>
    public long? MaxSizeBytes { get; set; }

    /// <summary>
    /// Gets or sets the sliding expiration of entries written without any expiration in their
    /// <c>DistributedCacheEntryOptions</c>, or <see langword="null"/> (the default) for entries that never expire.
    /// Embeddings do not go stale, so the default keeps them until <see cref="MaxSizeBytes"/> evicts them.
    /// </summary>
    public TimeSpan? DefaultSlidingExpiration { get; set; }

    /// <summary>Checks the options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <exception cref="ArgumentException"><see cref="Directory"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxSizeBytes"/> is less than 1, or <see cref="DefaultSlidingExpiration"/> is not positive.</exception>
    internal FileSystemDistributedCacheOptions ValidateAndClone()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("The cache directory is required, for example '.aieng/embedding-cache'.", nameof(Directory));
        }

        if (MaxSizeBytes is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSizeBytes), MaxSizeBytes, "The maximum cache size must be at least 1 byte, or null for no limit.");
        }

        if (DefaultSlidingExpiration is TimeSpan sliding && sliding <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultSlidingExpiration), sliding, "The default sliding expiration must be positive, or null for none.");
        }

        return new FileSystemDistributedCacheOptions
        {
            Directory = Path.GetFullPath(Directory),
            MaxSizeBytes = MaxSizeBytes,
            DefaultSlidingExpiration = DefaultSlidingExpiration,
        };
    }
}
