using AiEng.Inference;

namespace AiEng.Samples.WebChat;

/// <summary>
/// The application's usage ledger: AiEng's in-memory <see cref="UsageLedger"/> (totals and budgets across all requests),
/// which also hands each record to the <see cref="RequestUsage"/> of the request that made the call, so a page can show what
/// one answer cost. Registered as <see cref="IUsageLedger"/> before <c>AddAiEng</c>, which keeps a ledger the application
/// registered.
/// </summary>
/// <remarks>
/// AiEng records a call in the flow that made it (a stream when it completes, in the flow enumerating it), so an
/// <see cref="AsyncLocal{T}"/> finds the request: concurrent requests never see each other's records.
/// </remarks>
internal sealed class RequestUsageLedger : IUsageLedger
{
    private static readonly AsyncLocal<RequestUsage?> Current = new();

    /// <summary>Gets the ledger of every call (totals and budgets).</summary>
    public UsageLedger Inner { get; } = new();

    /// <summary>Starts collecting the records of the calls made from now on in the calling flow.</summary>
    /// <returns>The request's usage; its records grow as the request's calls complete.</returns>
    public static RequestUsage Begin()
    {
        var usage = new RequestUsage();
        Current.Value = usage;
        return usage;
    }

    /// <inheritdoc />
    public void Record(UsageRecord record)
    {
        Inner.Record(record);
        Current.Value?.Add(record);
    }

    /// <inheritdoc />
    public IReadOnlyList<UsageRecord> GetRecords() => Inner.GetRecords();
}
