using System.Diagnostics.Metrics;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Embedding middleware that records the usage of every call in an <see cref="IUsageLedger"/> (input tokens, latency,
/// cost, caller tag), enforces budgets before calls are sent, and optionally emits AiEng's cost and budget metrics
/// (token and duration metrics come from <c>UseOpenTelemetry</c>: see docs/observability.md).
/// Add it with <c>EmbeddingGeneratorBuilder.UseUsageTracking</c>.
/// </summary>
/// <remarks>
/// Records have operation <c>embeddings</c> and no output tokens. The model recorded is the first embedding's
/// <see cref="Embedding.ModelId"/>, else <see cref="EmbeddingGenerationOptions.ModelId"/>, else the inner generator's
/// <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>. When the provider reports no usage the input tokens are
/// counted with <see cref="TiktokenTokenCounter.ForModel"/> and the record is marked <see cref="UsageRecord.IsEstimated"/>.
/// Failed calls are not recorded, as for <see cref="UsageTrackingChatClient"/>.
/// </remarks>
public sealed class UsageTrackingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly UsageTracker _tracker;

    /// <summary>Initializes a new instance of the <see cref="UsageTrackingEmbeddingGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator to track.</param>
    /// <param name="ledger">The ledger that receives the records.</param>
    /// <param name="options">The options (copied; the caller's instance is never changed), or <see langword="null"/> for defaults.</param>
    /// <param name="timeProvider">The clock for timestamps, latency and budget windows; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>AiEng</c> meter when <see cref="UsageTrackingOptions.EnableMetrics"/> is set; a shared meter is used when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="ledger"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message names each offending key).</exception>
    public UsageTrackingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        IUsageLedger ledger,
        UsageTrackingOptions? options = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : base(innerGenerator)
    {
        Throw.IfNull(ledger);
        var metadata = innerGenerator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        _tracker = new UsageTracker(UsageOperations.Embeddings, ledger, options, timeProvider, meterFactory, metadata?.ProviderName, metadata?.DefaultModelId);
    }

    /// <summary>Gets the ledger that receives the records.</summary>
    public IUsageLedger Ledger => _tracker.Ledger;

    /// <inheritdoc />
    /// <exception cref="BudgetExceededException">The call would exceed a configured budget; it was not sent.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(values);
        (string requestModel, string? callerTag) = _tracker.Resolve(options?.AdditionalProperties, options?.ModelId);
        if (_tracker.AnyBudgetApplies(requestModel, callerTag))
        {
            // Materialised once so that a lazy sequence is not enumerated twice (estimate, then the provider).
            values = values as IReadOnlyCollection<string> ?? [.. values];
            long estimate = CountInputTokens(TiktokenTokenCounter.ForModel(requestModel), values);
            if (_tracker.IsShared)
            {
                await _tracker.EnforceBudgetsAsync(requestModel, callerTag, estimate, 0, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _tracker.EnforceBudgets(requestModel, callerTag, estimate, 0);
            }
        }

        UsageCall call = _tracker.Start(requestModel, callerTag);
        GeneratedEmbeddings<Embedding<float>> embeddings = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);

        TimeSpan latency = _tracker.GetElapsed(call);
        string? responseModel = embeddings.Count > 0 ? embeddings[0].ModelId : null;
        long? input = embeddings.Usage?.InputTokenCount;
        bool estimated = input is null;
        input ??= CountInputTokens(TiktokenTokenCounter.ForModel(responseModel ?? requestModel), values);
        await _tracker.Record(call, latency, responseModel, input.Value, 0, embeddings.Usage?.CachedInputTokenCount ?? 0, estimated, isStreaming: false).ConfigureAwait(false);
        return embeddings;
    }

    /// <inheritdoc />
    /// <remarks>Also returns the <see cref="Ledger"/> when asked for <see cref="IUsageLedger"/> (or its concrete type) without a key.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return base.GetService(serviceType, serviceKey) ?? _tracker.GetLedgerService(serviceType, serviceKey);
    }

    private static long CountInputTokens(ITokenCounter counter, IEnumerable<string> values)
    {
        long total = 0;
        foreach (string value in values)
        {
            total += value is null ? 0 : counter.CountTokens(value);
        }

        return total;
    }
}
