using System.CommandLine;
using System.Globalization;
using AiEng.Evaluation;

namespace AiEng.Cli.Evaluation;

/// <summary><c>aieng eval compare RUN_A RUN_B</c>: <see cref="RunComparison.Compare"/> (paired bootstrap intervals).</summary>
internal static class EvaluationCompareCommand
{
    private static readonly Argument<string> Baseline = new("RUN_A") { Description = "The baseline run: its folder or report.json." };

    private static readonly Argument<string> Current = new("RUN_B") { Description = "The run compared with it: its folder or report.json." };

    private static readonly Option<double> Confidence = new("--confidence")
    {
        Description = "The confidence of the intervals, between 0 and 1.",
        DefaultValueFactory = _ => 0.95,
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "compare",
            "Compares two runs case by case: for each metric both have, the mean paired difference (RUN_B - RUN_A) and its paired bootstrap confidence interval (2000 seeded resamples); '*' marks an interval that excludes zero.",
            "aieng eval compare runs/main runs/pr-42",
            "aieng eval compare runs/main/report.json runs/pr-42/report.json --json");
        command.Add(Baseline);
        command.Add(Current);
        command.Add(Confidence);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            EvaluationRun baseline = await EvaluationCommands.LoadRunAsync(context, context.GetValue(Baseline), "RUN_A", cancellationToken);
            EvaluationRun current = await EvaluationCommands.LoadRunAsync(context, context.GetValue(Current), "RUN_B", cancellationToken);
            double confidence = context.GetValue(Confidence);
            if (confidence is <= 0 or >= 1 || double.IsNaN(confidence))
            {
                throw new CliInputException($"--confidence: {confidence.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1; use for example 0.95.");
            }

            RunComparison comparison = RunComparison.Compare(baseline, current, confidence);
            context.WriteResult(
                new
                {
                    baseline = comparison.BaselineName,
                    current = comparison.CurrentName,
                    confidence,
                    metrics = comparison.Deltas.Select(d => new
                    {
                        metric = d.Metric,
                        baselineMean = d.BaselineMean,
                        currentMean = d.CurrentMean,
                        delta = d.Delta,
                        lower = d.Lower,
                        upper = d.Upper,
                        pairedCases = d.PairedCases,
                        significant = d.Significant,
                    }),
                },
                output =>
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"'{comparison.CurrentName}' compared with '{comparison.BaselineName}' (paired bootstrap {confidence * 100:0.##}% CI; * = interval excludes 0):"));
                    output.WriteLine($"{"metric",-24} {"baseline",9} {"current",9} {"delta",9}  CI");
                    foreach (MetricDelta d in comparison.Deltas)
                    {
                        output.WriteLine(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{d.Metric,-24} {d.BaselineMean,9:0.000} {d.CurrentMean,9:0.000} {d.Delta,9:+0.000;-0.000;0.000}  [{d.Lower:+0.000;-0.000;0.000}, {d.Upper:+0.000;-0.000;0.000}]{(d.Significant ? " *" : string.Empty)}"));
                    }
                });
            return ExitCodes.Ok;
        });
    }
}
