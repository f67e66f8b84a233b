using System.Diagnostics.Metrics;
using AiEng.Prompts;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// What the chat and embedding usage middleware share: caller-tag and model resolution, budget checks, pricing,
/// recording and metrics. One instance per middleware instance; thread-safe.
/// </summary>
internal sealed class UsageTracker
{
    private readonly string _operation;
    private readonly string? _provider;
    private readonly string? _defaultModel;
    private readonly string? _defaultCallerTag;
    private readonly string _currency;
    private readonly PriceTable _prices;
    private readonly BudgetTracker _budgetTracker;
    private readonly bool _feedBudgetTracker;
    private readonly Budget[] _budgets;
    private readonly UsageMetrics? _metrics;
    private readonly ISharedUsageLedger? _shared;

    // With the system clock, the wall-clock start of a call is derived from its monotonic timestamp and a (wall clock,
    // timestamp) anchor re-read at most once a second, so that a call reads the clock twice (start, end), not three times.
    // A custom TimeProvider is always asked for both, as its two clocks may be unrelated.
    private readonly bool _anchorWallClock;
    private ClockAnchor? _anchor;

    public UsageTracker(
        string operation,
        IUsageLedger ledger,
        UsageTrackingOptions? options,
        TimeProvider? timeProvider,
        IMeterFactory? meterFactory,
        string? provider,
        string? defaultModel)
    {
        Ledger = Throw.IfNull(ledger);
        // The options are read here; the prices and budgets, which are kept, are copied, so the caller may change its options later.
        UsageTrackingOptions settings = options ?? new UsageTrackingOptions();
        settings.ThrowIfInvalid(nameof(options));

        _operation = operation;
        _provider = provider;
        _defaultModel = string.IsNullOrEmpty(defaultModel) ? null : defaultModel;
        _defaultCallerTag = string.IsNullOrEmpty(settings.DefaultCallerTag) ? null : settings.DefaultCallerTag;
        _currency = settings.Currency;
        DefaultMaxOutputTokens = settings.DefaultMaxOutputTokensForBudget;
        Time = timeProvider ?? TimeProvider.System;
        _anchorWallClock = ReferenceEquals(Time, TimeProvider.System);
        _prices = new PriceTable(settings.Prices.ToDictionary(price => price.Value.Model ?? price.Key, price => price.Value.Clone(), StringComparer.OrdinalIgnoreCase));
        _metrics = settings.EnableMetrics ? new UsageMetrics(meterFactory, settings.Currency) : null;

        _shared = ledger as ISharedUsageLedger;
        UsageLedger? ownLedger = ledger as UsageLedger;
        _budgetTracker = ownLedger?.BudgetTracker ?? BudgetTracker.ForForeignLedger(ledger);
        _feedBudgetTracker = ownLedger is null;
        var budgets = new List<Budget>(settings.Budgets.Count);
        foreach (KeyValuePair<string, UsageBudget> entry in settings.Budgets)
        {
            UsageBudget budget = entry.Value.Clone();
            // A shared ledger is asked for its spending per call, so its accumulator is only seeded for a ledger of this process.
            BudgetAccumulator accumulator = ownLedger is not null
                ? ownLedger.RegisterBudget(budget)
                : _budgetTracker.Register(budget, _shared is null ? ledger.GetRecords() : []);
            budgets.Add(new Budget(entry.Key, budget, accumulator));
        }

        _budgets = [.. budgets];
    }

    public IUsageLedger Ledger { get; }

    public TimeProvider Time { get; }

    public int DefaultMaxOutputTokens { get; }

    /// <summary>
    /// Gets the caller tag of a call (per call, else the ambient <see cref="UsageScope"/>, else the default) and the model it
    /// asks for (the options' model id, else the client's default, else <c>unknown</c>).
    /// </summary>
    public (string RequestModel, string? CallerTag) Resolve(AdditionalPropertiesDictionary? properties, string? optionsModelId)
    {
        string requestModel = string.IsNullOrEmpty(optionsModelId) ? _defaultModel ?? UsageOperations.UnknownModel : optionsModelId;
        if (properties is not null && properties.TryGetValue(UsageScope.CallerTagKey, out object? value) && value is string { Length: > 0 } tag)
        {
            return (requestModel, tag);
        }

        return (requestModel, UsageScope.CurrentCallerTag ?? _defaultCallerTag);
    }

    /// <summary>
    /// Starts timing a call that passed its budget checks; the prompt it cites is read from <paramref name="properties"/>
    /// (<see cref="PromptProperties.Name"/>, <see cref="PromptProperties.ContentHash"/>), as rendering sets them, and so is
    /// its place in a cascade (<see cref="CascadeProperties.Step"/>), as a cascade sets it.
    /// </summary>
    public UsageCall Start(string requestModel, string? callerTag, AdditionalPropertiesDictionary? properties = null)
    {
        long timestamp = Time.GetTimestamp();
        string? prompt = null, promptHash = null;
        int? cascadeStep = null;
        if (properties is not null)
        {
            prompt = properties.TryGetValue(PromptProperties.Name, out object? name) ? name as string : null;
            promptHash = properties.TryGetValue(PromptProperties.ContentHash, out object? hash) ? hash as string : null;
            cascadeStep = CascadeProperties.GetStep(properties);
        }

        return new(requestModel, callerTag, _anchorWallClock ? GetAnchoredUtcNow(timestamp) : Time.GetUtcNow(), timestamp, prompt, promptHash, cascadeStep);
    }

    /// <summary>Gets the time since <paramref name="call"/> started.</summary>
    public TimeSpan GetElapsed(UsageCall call) => Time.GetElapsedTime(call.StartTimestamp);

    /// <summary>Gets a value indicating whether any configured budget applies to a call, so that its estimate is needed.</summary>
    public bool AnyBudgetApplies(string requestModel, string? callerTag)
    {
        foreach (Budget budget in _budgets)
        {
            if (budget.Accumulator.Matches(_operation, requestModel, callerTag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether the ledger is shared by several processes, so that budgets are checked and calls recorded through it asynchronously.</summary>
    public bool IsShared => _shared is not null;

    /// <summary>Throws <see cref="BudgetExceededException"/> when a call of the estimated size would exceed an applicable budget.</summary>
    /// <remarks>For a ledger of this process only; a shared ledger is asked with <see cref="EnforceBudgetsAsync"/>.</remarks>
    public void EnforceBudgets(string requestModel, string? callerTag, long estimatedInputTokens, long estimatedOutputTokens)
    {
        DateTimeOffset now = Time.GetUtcNow();
        decimal? estimatedCost = _prices.GetCost(requestModel, estimatedInputTokens, estimatedOutputTokens, 0);
        foreach (Budget budget in _budgets)
        {
            if (budget.Accumulator.Matches(_operation, requestModel, callerTag))
            {
                (decimal spentCost, long spentTokens) = _budgetTracker.GetSpent(budget.Accumulator, now);
                ThrowIfOver(budget, new UsageSpending(spentCost, spentTokens), requestModel, callerTag, estimatedInputTokens + estimatedOutputTokens, estimatedCost, now);
            }
        }
    }

    /// <summary>
    /// Throws <see cref="BudgetExceededException"/> when a call of the estimated size would exceed an applicable budget, with
    /// the spending that every process sharing the ledger has recorded in the budget's window.
    /// </summary>
    public async ValueTask EnforceBudgetsAsync(string requestModel, string? callerTag, long estimatedInputTokens, long estimatedOutputTokens, CancellationToken cancellationToken)
    {
        ISharedUsageLedger shared = _shared ?? throw new InvalidOperationException("The ledger is not shared.");
        DateTimeOffset now = Time.GetUtcNow();
        decimal? estimatedCost = _prices.GetCost(requestModel, estimatedInputTokens, estimatedOutputTokens, 0);
        foreach (Budget budget in _budgets)
        {
            if (!budget.Accumulator.Matches(_operation, requestModel, callerTag))
            {
                continue;
            }

            var query = new UsageSpendingQuery
            {
                Operation = budget.Settings.Operation,
                Model = budget.Settings.Model,
                CallerTag = budget.Settings.CallerTag,
                Since = budget.Settings.Window == UsageBudgetWindow.None ? null : BudgetWindows.GetStart(budget.Settings.Window, now),
            };
            UsageSpending spent = await shared.GetSpendingAsync(query, cancellationToken).ConfigureAwait(false);
            ThrowIfOver(budget, spent, requestModel, callerTag, estimatedInputTokens + estimatedOutputTokens, estimatedCost, now);
        }
    }

    /// <summary>Prices and records one completed (or partially streamed) call, and emits its metrics.</summary>
    /// <returns>A task that completes when the record is stored: at once, unless the ledger is shared.</returns>
    public ValueTask Record(
        UsageCall call,
        TimeSpan latency,
        string? responseModel,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        bool isEstimated,
        bool isStreaming,
        bool isCacheHit = false)
    {
        string model = string.IsNullOrEmpty(responseModel) ? call.RequestModel : responseModel;
        var record = new UsageRecord
        {
            Timestamp = call.StartedAt,
            Operation = _operation,
            Provider = _provider,
            Model = model,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            CachedInputTokens = cachedInputTokens,
            Latency = latency,
            // A cache hit costs the model nothing, whatever its price.
            Cost = isCacheHit ? 0m : _prices.GetCost(model, inputTokens, outputTokens, cachedInputTokens),
            IsEstimated = isEstimated,
            CallerTag = call.CallerTag,
            IsStreaming = isStreaming,
            IsCacheHit = isCacheHit,
            Prompt = call.Prompt,
            PromptHash = call.PromptHash,
            CascadeStep = call.CascadeStep,
        };

        _metrics?.Record(record, call.RequestModel);
        if (_shared is not null)
        {
            // A completed call is recorded even when the caller has since cancelled: it has been paid for.
            return _shared.RecordAsync(record, CancellationToken.None);
        }

        Ledger.Record(record);
        if (_feedBudgetTracker)
        {
            _budgetTracker.Add(record);
        }

        return default;
    }

    private void ThrowIfOver(Budget budget, UsageSpending spent, string requestModel, string? callerTag, long estimatedTokens, decimal? estimatedCost, DateTimeOffset now)
    {
        bool overTokens = budget.Settings.MaxTokens is long maxTokens && spent.Tokens + estimatedTokens > maxTokens;
        bool overCost = budget.Settings.MaxCost is decimal maxCost && spent.Cost + (estimatedCost ?? 0) > maxCost;
        if (overTokens || overCost)
        {
            _metrics?.RecordBudgetExceeded(_operation, _provider, requestModel, callerTag, budget.Name);
            throw new BudgetExceededException(
                budget.Name,
                budget.Settings.MaxCost,
                budget.Settings.MaxTokens,
                budget.Settings.Window,
                spent.Cost,
                spent.Tokens,
                estimatedCost,
                estimatedTokens,
                _currency,
                BudgetWindows.GetEnd(budget.Settings.Window, now));
        }
    }

    /// <summary>Gets the ledger when a middleware is asked for it as a service (an unkeyed <see cref="IUsageLedger"/> or its concrete type).</summary>
    public object? GetLedgerService(Type serviceType, object? serviceKey) =>
        serviceKey is null && serviceType.IsInstanceOfType(Ledger) ? Ledger : null;

    /// <summary>Gets the system's wall-clock time at <paramref name="timestamp"/> (a timestamp just read) from the anchor, refreshing it each second.</summary>
    private DateTimeOffset GetAnchoredUtcNow(long timestamp)
    {
        ClockAnchor? anchor = Volatile.Read(ref _anchor);
        if (anchor is not null)
        {
            long elapsed = timestamp - anchor.Timestamp;
            if (elapsed >= 0 && elapsed < Time.TimestampFrequency)
            {
                return anchor.UtcNow + TimeSpan.FromTicks((long)(elapsed * ((double)TimeSpan.TicksPerSecond / Time.TimestampFrequency)));
            }
        }

        anchor = new ClockAnchor(Time.GetUtcNow(), timestamp);
        Volatile.Write(ref _anchor, anchor);
        return anchor.UtcNow;
    }

    private sealed record ClockAnchor(DateTimeOffset UtcNow, long Timestamp);

    private sealed record Budget(string Name, UsageBudget Settings, BudgetAccumulator Accumulator);
}
