using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiEng.Inference;

/// <summary>
/// AiEng's own usage instruments on the meter <c>AiEng</c>: <c>aieng.usage.cost</c> (counter in the configured currency)
/// and <c>aieng.usage.budget.exceeded</c> (counter of calls a budget refused). Attributes never contain prompt or response
/// content.
/// </summary>
/// <remarks>
/// Token counts and call durations are deliberately not measured here: Microsoft.Extensions.AI's <c>UseOpenTelemetry</c>
/// already emits the OpenTelemetry GenAI histograms <c>gen_ai.client.token.usage</c> and
/// <c>gen_ai.client.operation.duration</c>, and a second copy on this meter would count every token twice in any backend
/// that collects both meters (see docs/observability.md).
/// </remarks>
internal sealed class UsageMetrics
{
    public const string MeterName = "AiEng";
    public const string CostName = "aieng.usage.cost";
    public const string BudgetExceededName = "aieng.usage.budget.exceeded";

    private const string OperationNameTag = "gen_ai.operation.name";
    private const string ProviderNameTag = "gen_ai.provider.name";
    private const string RequestModelTag = "gen_ai.request.model";
    private const string ResponseModelTag = "gen_ai.response.model";
    private const string CallerTagTag = "aieng.caller_tag";
    private const string EstimatedTag = "aieng.usage.estimated";
    private const string CurrencyTag = "aieng.usage.currency";
    private const string BudgetNameTag = "aieng.budget.name";

    // Used when no IMeterFactory is registered; shared so that instruments are not duplicated per client.
    private static readonly Lazy<Meter> SharedMeter = new(() => new Meter(MeterName));

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private readonly Counter<double> _cost;
    private readonly Counter<long> _budgetExceeded;
    private readonly string _currency;

    public UsageMetrics(IMeterFactory? meterFactory, string currency)
    {
        Meter meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? SharedMeter.Value;
        _currency = currency;
        _cost = meter.CreateCounter<double>(CostName, "{" + currency + "}", "Cost of model calls computed from the configured price table");
        _budgetExceeded = meter.CreateCounter<long>(BudgetExceededName, "{call}", "Model calls refused before they were sent because they would exceed a usage budget");
    }

    public void Record(UsageRecord record, string requestModel)
    {
        if (record.Cost is not decimal cost)
        {
            return;
        }

        TagList tags = CreateTags(record.Operation, record.Provider, requestModel, record.CallerTag);
        tags.Add(ResponseModelTag, record.Model);
        tags.Add(EstimatedTag, record.IsEstimated ? BoxedTrue : BoxedFalse);
        tags.Add(CurrencyTag, _currency);
        _cost.Add((double)cost, tags);
    }

    public void RecordBudgetExceeded(string operation, string? provider, string requestModel, string? callerTag, string budgetName)
    {
        TagList tags = CreateTags(operation, provider, requestModel, callerTag);
        tags.Add(BudgetNameTag, budgetName);
        _budgetExceeded.Add(1, tags);
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
