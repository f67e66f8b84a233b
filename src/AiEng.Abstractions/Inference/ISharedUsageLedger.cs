namespace AiEng.Inference;

/// <summary>
/// An <see cref="IUsageLedger"/> that several processes write to (for example a table in a database that every instance of
/// an application uses), so that budgets hold across instances: AiEng's usage middleware asks it for the spending a
/// budget covers before each call, instead of counting only the calls of its own process, and records each call with
/// <see cref="RecordAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// A budget checked against a shared ledger can be overshot only by the calls that were in flight when it was reached:
/// each instance checks what every instance has recorded so far, and a call is recorded when it completes.
/// </para>
/// <para>Implementations are thread-safe.</para>
/// </remarks>
public interface ISharedUsageLedger : IUsageLedger
{
    /// <summary>Records the usage of one call where every instance that shares the ledger sees it.</summary>
    /// <param name="record">The usage of one call.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken = default);

    /// <summary>Gets the cost and tokens of the recorded calls that a query selects, as recorded by every instance.</summary>
    /// <param name="query">Which calls to total: operation, model (with its dated and tagged variants), caller tag and start time.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The totals; calls without a price add tokens but no cost.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    ValueTask<UsageSpending> GetSpendingAsync(UsageSpendingQuery query, CancellationToken cancellationToken = default);
}
