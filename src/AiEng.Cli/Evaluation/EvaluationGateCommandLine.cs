using System.CommandLine;
using AiEng.Evaluation;

namespace AiEng.Cli.Evaluation;

/// <summary><c>aieng eval gate RUN --rules FILE</c>: <see cref="EvaluationGate.LoadAsync"/> and <see cref="EvaluationGate.Evaluate"/>; exit code 1 on a failed check.</summary>
internal static class EvaluationGateCommandLine
{
    private static readonly Argument<string> Run = new("RUN") { Description = "The run to gate: its folder or report.json." };

    private static readonly Option<string> Rules = new("--rules", "-r")
    {
        Description = "The gate rules file: {\"rules\": [{\"metric\": \"Token F1\", \"min\": 0.6}, {\"metric\": \"Faithfulness\", \"noRegression\": 0.02}]}.",
        HelpName = "FILE",
        Required = true,
    };

    private static readonly Option<string?> Baseline = new("--baseline") { Description = "The baseline run for noRegression rules (without one they pass, saying they were skipped).", HelpName = "RUN" };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "gate",
            "Checks a run against a rules file (minimum and maximum means, no significant regression against a baseline) and prints every check. Exit code 1 when a check fails: use it as a CI step.",
            "aieng eval gate runs/pr-42 --rules eval/gate.json --baseline runs/main",
            "aieng eval gate runs/pr-42/report.json -r eval/gate.json --json");
        command.Add(Run);
        command.Add(Rules);
        command.Add(Baseline);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            EvaluationGate gate = await EvaluationGate.LoadAsync(context.ExistingFile(context.GetValue(Rules)!, "--rules"), cancellationToken);
            EvaluationRun run = await EvaluationCommands.LoadRunAsync(context, context.GetValue(Run), "RUN", cancellationToken);
            EvaluationRun? baseline = context.GetValue(Baseline) is string path ? await EvaluationCommands.LoadRunAsync(context, path, "--baseline", cancellationToken) : null;
            GateResult result = gate.Evaluate(run, baseline);
            context.WriteResult(
                new { run = run.Name, baseline = baseline?.Name, passed = result.Passed, checks = result.Checks.Select(c => new { rule = c.Rule, passed = c.Passed, detail = c.Detail }) },
                output => output.WriteLine(result.ToString()));
            return result.Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
    }
}
