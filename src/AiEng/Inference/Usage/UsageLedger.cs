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

    private static readonly UsageGrouping[] Groupings = [UsageGrouping.Model, UsageGrouping.Operation, UsageGrouping.CallerTag, UsageGrouping.Provider];

    private readonly Lock _gate = new();
    private readonly Queue<UsageRecord> _records = new();

    // One accumulator per combination of model, operation, caller tag and provider: a record updates one of them, and the
    // totals overall and per grouping are summed from them when read (reads are rare, records are per call). Consecutive
    // calls usually share the combination, and comparing with the last one is cheaper than hashing it.
    private readonly Dictionary<CellKey, Accumulator> _cells = [];
    private CellKey _lastKey;
    private Accumulator? _lastCell;
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
            Accumulator? cell = _lastCell;
            if (cell is null || !_lastKey.Matches(record))
            {
                var key = new CellKey(record.Model, record.Operation, record.CallerTag, record.Provider);
                ref Accumulator? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, key, out _);
                cell = slot ??= new Accumulator();
                _lastKey = key;
                _lastCell = cell;
            }

            cell.Add(record);

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
        var total = new Accumulator();
        lock (_gate)
        {
            foreach (Accumulator cell in _cells.Values)
            {
                total.Add(cell);
            }
        }

        return total.ToTotals();
    }

    /// <summary>Gets the totals per model, operation, caller tag or provider.</summary>
    /// <param name="grouping">What to group by.</param>
    /// <returns>The totals by key (the empty string for calls without a caller tag or provider).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grouping"/> is not a defined value.</exception>
    public IReadOnlyDictionary<string, UsageTotals> GetTotalsBy(UsageGrouping grouping)
    {
        int index = Array.IndexOf(Groupings, grouping);
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Group by Model, Operation, CallerTag or Provider.");
        }

        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (KeyValuePair<CellKey, Accumulator> cell in _cells)
            {
                ref Accumulator? group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, cell.Key.Get(grouping), out _);
                (group ??= new Accumulator()).Add(cell.Value);
            }
        }

        var result = new Dictionary<string, UsageTotals>(groups.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, Accumulator> group in groups)
        {
            result.Add(group.Key, group.Value.ToTotals());
        }

        return result;
    }

    /// <summary>
    /// Gets the totals of the calls whose model, operation, caller tag or provider is <paramref name="key"/>: one group of
    /// <see cref="GetTotalsBy"/>, without building the others. Every call recorded counts, retained or not; the cost is in
    /// the number of distinct combinations of model, operation, caller tag and provider, not of records.
    /// </summary>
    /// <param name="grouping">What <paramref name="key"/> is.</param>
    /// <param name="key">The model, operation, caller tag or provider (the empty string for calls without a caller tag or provider).</param>
    /// <returns>The totals, all zero when no call matches.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grouping"/> is not a defined value.</exception>
    public UsageTotals GetTotals(UsageGrouping grouping, string key)
    {
        Throw.IfNull(key);
        if (Array.IndexOf(Groupings, grouping) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Group by Model, Operation, CallerTag or Provider.");
        }

        var total = new Accumulator();
        lock (_gate)
        {
            foreach (KeyValuePair<CellKey, Accumulator> cell in _cells)
            {
                if (string.Equals(cell.Key.Get(grouping), key, StringComparison.Ordinal))
                {
                    total.Add(cell.Value);
                }
            }
        }

        return total.ToTotals();
    }

    /// <summary>Registers a budget's accumulator, seeded with the retained records, consistently with concurrent <see cref="Record"/> calls.</summary>
    internal BudgetAccumulator RegisterBudget(UsageBudget budget)
    {
        lock (_gate)
        {
            return BudgetTracker.Register(budget, _records);
        }
    }

    /// <summary>The combination of model, operation, caller tag and provider that one accumulator totals (ordinal comparisons).</summary>
    private readonly record struct CellKey(string Model, string Operation, string? CallerTag, string? Provider)
    {
        public bool Matches(UsageRecord record) =>
            string.Equals(Model, record.Model, StringComparison.Ordinal)
            && string.Equals(Operation, record.Operation, StringComparison.Ordinal)
            && string.Equals(CallerTag, record.CallerTag, StringComparison.Ordinal)
            && string.Equals(Provider, record.Provider, StringComparison.Ordinal);

        /// <summary>Gets the key of this combination in a grouping (the empty string for no caller tag or provider).</summary>
        public string Get(UsageGrouping grouping) => grouping switch
        {
            UsageGrouping.Model => Model,
            UsageGrouping.Operation => Operation,
            UsageGrouping.CallerTag => CallerTag ?? string.Empty,
            _ => Provider ?? string.Empty,
        };
    }

    private sealed class Accumulator
    {
        private long _calls;
        private long _input;
        private long _output;
        private long _cached;
        private long _estimated;
        private long _unpriced;
        private long _cacheHits;
        private long _escalations;
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

            if (record.IsCacheHit)
            {
                _cacheHits++;
            }

            if (record.CascadeStep > 0)
            {
                _escalations++;
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

        public void Add(Accumulator other)
        {
            _calls += other._calls;
            _input += other._input;
            _output += other._output;
            _cached += other._cached;
            _latencyTicks += other._latencyTicks;
            _estimated += other._estimated;
            _unpriced += other._unpriced;
            _cacheHits += other._cacheHits;
            _escalations += other._escalations;
            _cost += other._cost;
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
            CacheHits = _cacheHits,
            Escalations = _escalations,
            TotalLatency = TimeSpan.FromTicks(_latencyTicks),
        };
    }
}
