namespace AiEng.Inference;

/// <summary>Receives and keeps the <see cref="UsageRecord"/>s of model calls.</summary>
/// <remarks>Implementations are thread-safe: calls are recorded concurrently.</remarks>
public interface IUsageLedger
{
    /// <summary>Adds a record.</summary>
    /// <param name="record">The usage of one call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    void Record(UsageRecord record);

    /// <summary>Gets a snapshot of the records so far, oldest first.</summary>
    /// <returns>The records.</returns>
    IReadOnlyList<UsageRecord> GetRecords();
}
