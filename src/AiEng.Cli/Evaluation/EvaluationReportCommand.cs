using System.CommandLine;
using AiEng.Evaluation;
using AiEng.Shared;

namespace AiEng.Cli.Evaluation;

/// <summary><c>aieng eval report RUN --format html|md|junit|json</c>: the renderers of <see cref="EvaluationReports"/>.</summary>
internal static class EvaluationReportCommand
{
    private static readonly Argument<string> Run = new("RUN") { Description = "The run: its folder or report.json." };

    private static readonly Option<string> Format = new("--format", "-f")
    {
        Description = "The report format: html (self-contained page), md (Markdown summary), junit (JUnit XML for CI test tabs) or json (the complete run).",
        DefaultValueFactory = _ => "md",
    };

    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };

    private static readonly Option<string?> Baseline = new("--baseline") { Description = "A baseline run to compare with (html and md).", HelpName = "RUN" };

    static EvaluationReportCommand() => Format.AcceptOnlyFromAmong("html", "md", "junit", "json");

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "report",
            "Renders a run's report in one format, to standard output or to a file.",
            "aieng eval report runs/pr-42 --format html --out pr-42.html",
            "aieng eval report runs/pr-42 --format md --baseline runs/main >> $GITHUB_STEP_SUMMARY");
        command.Add(Run);
        command.Add(Format);
        command.Add(Out);
        command.Add(Baseline);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            EvaluationRun run = await EvaluationCommands.LoadRunAsync(context, context.GetValue(Run), "RUN", cancellationToken);
            EvaluationRun? baseline = context.GetValue(Baseline) is string path ? await EvaluationCommands.LoadRunAsync(context, path, "--baseline", cancellationToken) : null;
            string report = context.GetValue(Format) switch
            {
                "html" => EvaluationReports.ToHtml(run, baseline),
                "junit" => EvaluationReports.ToJUnitXml(run),
                "json" => EvaluationReports.ToJson(run),
                _ => EvaluationReports.ToMarkdown(run, baseline is null ? null : RunComparison.Compare(baseline, run)),
            };

            if (context.GetValue(Out) is string file)
            {
                string full = context.FullPath(file);
                await AtomicFile.WriteAllTextAsync(full, report, cancellationToken);
                context.WriteResult(new { run = run.Name, format = context.GetValue(Format), file = full }, output => output.WriteLine($"Wrote {full}"));
            }
            else
            {
                context.Output.Write(report);
            }

            return ExitCodes.Ok;
        });
    }
}
