using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiEng.Evaluation;

/// <summary>The JSON shape of a gate rules file (read by <see cref="EvaluationGate.Parse"/>).</summary>
internal sealed class GateRulesFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public List<GateRuleEntry>? Rules { get; set; }
}

/// <summary>One rule of a gate rules file: a metric and exactly one of <c>min</c>, <c>max</c> or <c>noRegression</c>.</summary>
internal sealed class GateRuleEntry
{
    public string? Metric { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    public double? NoRegression { get; set; }

    public bool? HigherIsBetter { get; set; }
}
