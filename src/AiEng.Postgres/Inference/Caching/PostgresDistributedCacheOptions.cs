namespace AiEng.Inference;

/// <summary>Options of <see cref="PostgresDistributedCache"/>.</summary>
public sealed class PostgresDistributedCacheOptions
{
    /// <summary>Gets or sets the schema of the cache's table. The default is <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the table that holds one row per entry. The default is <c>aieng_cache</c>.</summary>
    public string Table { get; set; } = "aieng_cache";

    /// <summary>
    /// Gets or sets how often, at most, a write also deletes the entries that have expired (reads never return them). The
    /// default is 30 minutes.
    /// </summary>
    public TimeSpan ExpiredEntriesDeletionInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets or sets a value indicating whether the table is created on first use when missing. The default is
    /// <see langword="true"/>; turn it off when the schema is managed by migrations.
    /// </summary>
    public bool CreateTableIfMissing { get; set; } = true;
}
