using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiEng.Inference;

/// <summary>
/// The usage instruments on the meter <c>AiEng</c>, following the OpenTelemetry GenAI client metric conventions:
/// <c>gen_ai.client.token.usage</c> (histogram, <c>{token}</c>, one measurement per token type),
/// <c>gen_ai.client.operation.duration</c> (histogram, seconds, with <c>error.type</c> on failures) and AiEng's
/// <c>aieng.usage.cost</c> (counter in the configured currency). Attributes never contain prompt or response content.
/// </summary>
internal sealed class UsageMetrics
{
    public const string MeterName = "AiEng";
    public const string TokenUsageName = "gen_ai.client.token.usage";
    public const string OperationDurationName = "gen_ai.client.operation.duration";
    public const string CostName = "aieng.usage.cost";

    private const string OperationNameTag = "gen_ai.operation.name";
    private const string ProviderNameTag = "gen_ai.provider.name";
    private const string RequestModelTag = "gen_ai.request.model";
    private const string ResponseModelTag = "gen_ai.response.model";
    private const string TokenTypeTag = "gen_ai.token.type";
    private const string ErrorTypeTag = "error.type";
    private const string CallerTagTag = "aieng.caller_tag";
    private const string EstimatedTag = "aieng.usage.estimated";
    private const string CurrencyTag = "aieng.usage.currency";

    // Bucket boundaries the GenAI conventions specify for the two histograms.
    private static readonly long[] s_tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] s_durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    // Used when no IMeterFactory is registered; shared so that instruments are not duplicated per client.
    private static readonly Lazy<Meter> s_sharedMeter = new(() => new Meter(MeterName));

    private static readonly object s_true = true;
    private static readonly object s_false = false;

    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _cost;
    private readonly string _currency;

    public UsageMetrics(IMeterFactory? meterFactory, string currency)
    {
        Meter meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? s_sharedMeter.Value;
        _currency = currency;
        _tokenUsage = meter.CreateHistogram(
            TokenUsageName,
            "{token}",
            "Measures number of input and output tokens used",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = s_tokenBuckets });
        _duration = meter.CreateHistogram(
            OperationDurationName,
            "s",
            "GenAI operation duration",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
        _cost = meter.CreateCounter<double>(CostName, "{" + currency + "}", "Cost of model calls computed from the configured price table");
    }

    public void Record(UsageRecord record, string requestModel)
    {
        TagList tags = CreateTags(record.Operation, record.Provider, requestModel, record.CallerTag);
        tags.Add(ResponseModelTag, record.Model);
        tags.Add(EstimatedTag, record.IsEstimated ? s_true : s_false);

        _duration.Record(record.Latency.TotalSeconds, tags);

        tags.Add(TokenTypeTag, "input");
        _tokenUsage.Record(record.InputTokens, tags);
        if (record.Operation != UsageOperations.Embeddings)
        {
            // Embedding models produce vectors, not tokens: an output measurement of 0 would only skew the histogram.
            tags[tags.Count - 1] = new KeyValuePair<string, object?>(TokenTypeTag, "output");
            _tokenUsage.Record(record.OutputTokens, tags);
        }

        if (record.Cost is decimal cost)
        {
            tags[tags.Count - 1] = new KeyValuePair<string, object?>(CurrencyTag, _currency);
            _cost.Add((double)cost, tags);
        }
    }

    public void RecordFailure(string operation, string? provider, string requestModel, string? callerTag, TimeSpan latency, Exception exception)
    {
        TagList tags = CreateTags(operation, provider, requestModel, callerTag);
        tags.Add(ErrorTypeTag, exception.GetType().FullName);
        _duration.Record(latency.TotalSeconds, tags);
    }

    private static TagList CreateTags(string operation, string? provider, string requestModel, string? callerTag)
    {
        var tags = default(TagList);
        tags.Add(OperationNameTag, operation);
        tags.Add(RequestModelTag, requestModel);
        if (provider is not null)
        {
            tags.Add(ProviderNameTag, provider);
        }

        if (callerTag is not null)
        {
            tags.Add(CallerTagTag, callerTag);
        }

        return tags;
    }
}
