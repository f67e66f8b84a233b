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
        _prices = new PriceTable(settings.Prices.ToDictionary(price => price.Key, price => price.Value.Clone(), StringComparer.OrdinalIgnoreCase));
        _metrics = settings.EnableMetrics ? new UsageMetrics(meterFactory, settings.Currency) : null;

        UsageLedger? ownLedger = ledger as UsageLedger;
        _budgetTracker = ownLedger?.BudgetTracker ?? BudgetTracker.ForForeignLedger(ledger);
        _feedBudgetTracker = ownLedger is null;
        var budgets = new List<Budget>(settings.Budgets.Count);
        foreach (KeyValuePair<string, UsageBudget> entry in settings.Budgets)
        {
            UsageBudget budget = entry.Value.Clone();
            BudgetAccumulator accumulator = ownLedger is not null
                ? ownLedger.RegisterBudget(budget)
                : _budgetTracker.Register(budget, ledger.GetRecords());
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
    /// (<see cref="PromptProperties.Name"/>, <see cref="PromptProperties.ContentHash"/>), as rendering sets them.
    /// </summary>
    public UsageCall Start(string requestModel, string? callerTag, AdditionalPropertiesDictionary? properties = null)
    {
        long timestamp = Time.GetTimestamp();
        string? prompt = null, promptHash = null;
        if (properties is not null)
        {
            prompt = properties.TryGetValue(PromptProperties.Name, out object? name) ? name as string : null;
            promptHash = properties.TryGetValue(PromptProperties.ContentHash, out object? hash) ? hash as string : null;
        }

        return new(requestModel, callerTag, _anchorWallClock ? GetAnchoredUtcNow(timestamp) : Time.GetUtcNow(), timestamp, prompt, promptHash);
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

    /// <summary>Throws <see cref="BudgetExceededException"/> when a call of the estimated size would exceed an applicable budget.</summary>
    public void EnforceBudgets(string requestModel, string? callerTag, long estimatedInputTokens, long estimatedOutputTokens)
    {
        DateTimeOffset now = Time.GetUtcNow();
        long estimatedTokens = estimatedInputTokens + estimatedOutputTokens;
        decimal? estimatedCost = _prices.GetCost(requestModel, estimatedInputTokens, estimatedOutputTokens, 0);
        foreach (Budget budget in _budgets)
        {
            if (!budget.Accumulator.Matches(_operation, requestModel, callerTag))
            {
                continue;
            }

            (decimal spentCost, long spentTokens) = _budgetTracker.GetSpent(budget.Accumulator, now);
            bool overTokens = budget.Settings.MaxTokens is long maxTokens && spentTokens + estimatedTokens > maxTokens;
            bool overCost = budget.Settings.MaxCost is decimal maxCost && spentCost + (estimatedCost ?? 0) > maxCost;
            if (overTokens || overCost)
            {
                _metrics?.RecordBudgetExceeded(_operation, _provider, requestModel, callerTag, budget.Name);
                throw new BudgetExceededException(
                    budget.Name,
                    budget.Settings.MaxCost,
                    budget.Settings.MaxTokens,
                    budget.Settings.Window,
                    spentCost,
                    spentTokens,
                    estimatedCost,
                    estimatedTokens,
                    _currency,
                    BudgetWindows.GetEnd(budget.Settings.Window, now));
            }
        }
    }

    /// <summary>Prices and records one completed (or partially streamed) call, and emits its metrics.</summary>
    public void Record(
        UsageCall call,
        TimeSpan latency,
        string? responseModel,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        bool isEstimated,
        bool isStreaming)
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
            Cost = _prices.GetCost(model, inputTokens, outputTokens, cachedInputTokens),
            IsEstimated = isEstimated,
            CallerTag = call.CallerTag,
            IsStreaming = isStreaming,
            Prompt = call.Prompt,
            PromptHash = call.PromptHash,
        };

        Ledger.Record(record);
        if (_feedBudgetTracker)
        {
            _budgetTracker.Add(record);
        }

        _metrics?.Record(record, call.RequestModel);
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
