using System.CommandLine;
using AiEng.Evaluation;

namespace AiEng.Cli.Evaluation;

/// <summary>The <c>eval</c> command group, and what its commands share.</summary>
internal static class EvaluationCommands
{
    /// <summary>Creates <c>eval</c> with <c>run</c>, <c>compare</c>, <c>report</c> and <c>gate</c>.</summary>
    public static Command Create(CliApplication application) => new("eval", "Run evaluations, compare runs, write reports and gate a run in CI.")
    {
        EvaluationRunCommand.Create(application),
        EvaluationCompareCommand.Create(application),
        EvaluationReportCommand.Create(application),
        EvaluationGateCommandLine.Create(application),
    };

    /// <summary>Reads a run from its folder (its <c>report.json</c>) or from a report file.</summary>
    public static Task<EvaluationRun> LoadRunAsync(CliContext context, string path, string what, CancellationToken cancellationToken)
    {
        string full = context.FullPath(path);
        if (Directory.Exists(full))
        {
            full = Path.Combine(full, "report.json");
        }

        return EvaluationRun.LoadAsync(context.ExistingFile(full, what), cancellationToken);
    }

    /// <summary>A metric summary as JSON.</summary>
    public static object Json(MetricSummary summary) => new
    {
        metric = summary.Name,
        mean = summary.Mean,
        standardDeviation = summary.StandardDeviation,
        min = summary.Min,
        max = summary.Max,
        cases = summary.Count,
        missing = summary.Missing,
    };
}
