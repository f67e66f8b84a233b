using System.Runtime.InteropServices;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// A thread-safe in-memory <see cref="IUsageLedger"/> that keeps the newest records and running totals overall and by
/// model, operation, caller tag and provider. Totals are updated as records arrive, so reading them, and checking
/// budgets against them, does not scan the records.
/// </summary>
/// <remarks>
/// Totals cover every record since the ledger was created, including those no longer retained in
/// <see cref="GetRecords"/> after <see cref="MaxRecords"/> is reached.
/// </remarks>
public sealed class UsageLedger : IUsageLedger
{
    /// <summary>The default number of records retained: 10,000.</summary>
    public const int DefaultMaxRecords = 10_000;

    private static readonly UsageGrouping[] s_groupings = [UsageGrouping.Model, UsageGrouping.Operation, UsageGrouping.CallerTag, UsageGrouping.Provider];

    private readonly Lock _gate = new();
    private readonly Queue<UsageRecord> _records = new();
    private readonly Accumulator _total = new();
    private readonly Dictionary<string, Accumulator>[] _groups;

    // The key and accumulator each grouping used last: consecutive calls usually share model, operation, tag and
    // provider, and comparing with the last key is cheaper than hashing it.
    private readonly string?[] _lastKeys;
    private readonly Accumulator?[] _lastAccumulators;
    private long _recordCount;

    /// <summary>Initializes a new instance of the <see cref="UsageLedger"/> class that retains <see cref="DefaultMaxRecords"/> records.</summary>
    public UsageLedger()
        : this(DefaultMaxRecords)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UsageLedger"/> class.</summary>
    /// <param name="maxRecords">How many of the newest records to retain for <see cref="GetRecords"/>; older ones are dropped (totals keep them).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecords"/> is less than 1.</exception>
    public UsageLedger(int maxRecords)
    {
        MaxRecords = Throw.IfLessThan(maxRecords, 1);
        _groups = new Dictionary<string, Accumulator>[s_groupings.Length];
        _lastKeys = new string?[s_groupings.Length];
        _lastAccumulators = new Accumulator?[s_groupings.Length];
        for (int i = 0; i < _groups.Length; i++)
        {
            _groups[i] = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        }
    }

    /// <summary>Gets how many of the newest records are retained.</summary>
    public int MaxRecords { get; }

    /// <summary>Gets how many records have been added since the ledger was created (retained or not).</summary>
    public long RecordCount => Interlocked.Read(ref _recordCount);

    internal BudgetTracker BudgetTracker { get; } = new();

    /// <inheritdoc />
    public void Record(UsageRecord record)
    {
        Throw.IfNull(record);
        lock (_gate)
        {
            _records.Enqueue(record);
            if (_records.Count > MaxRecords)
            {
                _records.Dequeue();
            }

            _recordCount++;
            _total.Add(record);
            for (int i = 0; i < _groups.Length; i++)
            {
                string key = GetKey(record, s_groupings[i]);
                Accumulator? group = _lastAccumulators[i];
                if (group is null || !string.Equals(key, _lastKeys[i], StringComparison.Ordinal))
                {
                    ref Accumulator? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_groups[i], key, out _);
                    group = slot ??= new Accumulator();
                    _lastKeys[i] = key;
                    _lastAccumulators[i] = group;
                }

                group.Add(record);
            }

            // Inside the ledger's lock, so that budget registration (which seeds from the retained records) sees each record exactly once.
            BudgetTracker.Add(record);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<UsageRecord> GetRecords()
    {
        lock (_gate)
        {
            return _records.ToArray();
        }
    }

    /// <summary>Gets the totals of every call recorded.</summary>
    /// <returns>The totals.</returns>
    public UsageTotals GetTotals()
    {
        lock (_gate)
        {
            return _total.ToTotals();
        }
    }

    /// <summary>Gets the totals per model, operation, caller tag or provider.</summary>
    /// <param name="grouping">What to group by.</param>
    /// <returns>The totals by key (the empty string for calls without a caller tag or provider).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grouping"/> is not a defined value.</exception>
    public IReadOnlyDictionary<string, UsageTotals> GetTotalsBy(UsageGrouping grouping)
    {
        int index = Array.IndexOf(s_groupings, grouping);
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Group by Model, Operation, CallerTag or Provider.");
        }

        lock (_gate)
        {
            var result = new Dictionary<string, UsageTotals>(_groups[index].Count, StringComparer.Ordinal);
            foreach (KeyValuePair<string, Accumulator> entry in _groups[index])
            {
                result.Add(entry.Key, entry.Value.ToTotals());
            }

            return result;
        }
    }

    /// <summary>Registers a budget's accumulator, seeded with the retained records, consistently with concurrent <see cref="Record"/> calls.</summary>
    internal BudgetAccumulator RegisterBudget(UsageBudget budget)
    {
        lock (_gate)
        {
            return BudgetTracker.Register(budget, _records);
        }
    }

    private static string GetKey(UsageRecord record, UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Model => record.Model,
        UsageGrouping.Operation => record.Operation,
        UsageGrouping.CallerTag => record.CallerTag ?? string.Empty,
        _ => record.Provider ?? string.Empty,
    };

    private sealed class Accumulator
    {
        private long _calls;
        private long _input;
        private long _output;
        private long _cached;
        private long _estimated;
        private long _unpriced;
        private decimal _cost;
        private long _latencyTicks;

        public void Add(UsageRecord record)
        {
            _calls++;
            _input += record.InputTokens;
            _output += record.OutputTokens;
            _cached += record.CachedInputTokens;
            _latencyTicks += record.Latency.Ticks;
            if (record.IsEstimated)
            {
                _estimated++;
            }

            if (record.Cost is decimal cost)
            {
                _cost += cost;
            }
            else
            {
                _unpriced++;
            }
        }

        public UsageTotals ToTotals() => new()
        {
            Calls = _calls,
            InputTokens = _input,
            OutputTokens = _output,
            CachedInputTokens = _cached,
            Cost = _cost,
            EstimatedCalls = _estimated,
            UnpricedCalls = _unpriced,
            TotalLatency = TimeSpan.FromTicks(_latencyTicks),
        };
    }
}
