namespace AiEng.Retrieval;

/// <summary>Options of a <see cref="SqliteVectorStore"/>.</summary>
public sealed class SqliteVectorStoreOptions
{
    /// <summary>The default <see cref="BusyTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a write waits for another process's write transaction on the same file to finish before it
    /// fails with a "database is locked" error. Must be positive. Default: <see cref="DefaultBusyTimeout"/> (5 seconds).
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>Gets or sets whether commits wait for the disk. Default: <see cref="SqliteDurability.Normal"/>.</summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Normal;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, "The busy timeout must be positive and at most int.MaxValue milliseconds.");
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentOutOfRangeException(nameof(Durability), Durability, "Unknown durability level.");
        }
    }
}
