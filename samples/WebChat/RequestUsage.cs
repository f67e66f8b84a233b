using AiEng.Inference;

namespace AiEng.Samples.WebChat;

/// <summary>
/// The usage of one web request: every model call recorded while it is active in the request's asynchronous flow (the
/// question's embedding and the chat call). Begin one per request with <see cref="RequestUsageLedger.Begin"/>.
/// </summary>
internal sealed class RequestUsage
{
    private readonly Lock _gate = new();
    private readonly List<UsageRecord> _records = [];

    /// <summary>Gets a snapshot of the records so far.</summary>
    public IReadOnlyList<UsageRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Adds a record of a call made for this request.</summary>
    public void Add(UsageRecord record)
    {
        lock (_gate)
        {
            _records.Add(record);
        }
    }
}
