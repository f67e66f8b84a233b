namespace AiEng.Retrieval;

/// <summary>How hard a <see cref="SqliteVectorStore"/> works to keep committed transactions through a crash.</summary>
/// <remarks>
/// The store always uses write-ahead logging, so a crash never corrupts the file and never leaves part of a transaction:
/// the durability level only decides whether the last committed transactions can be lost when the machine itself goes down.
/// </remarks>
public enum SqliteDurability
{
    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c> (the default): a committed transaction survives the process being killed; after a
    /// power loss or an operating-system crash the most recent transactions may roll back, but the file stays consistent.
    /// Commits do not wait for the disk, so writing is several times faster.
    /// </summary>
    Normal = 0,

    /// <summary>
    /// <c>PRAGMA synchronous=FULL</c>: every commit waits until the write-ahead log is flushed to the disk, so a committed
    /// transaction also survives a power loss.
    /// </summary>
    Full = 1,
}
