using System.CommandLine;
using AiEng.FineTuning;

namespace AiEng.Cli.FineTuning;

/// <summary><c>aieng finetune check FILE</c>: <see cref="FineTuningJsonl.ReadExamplesAsync"/> and <see cref="FineTuningValidator.ValidateAsync"/>.</summary>
internal static class FineTuningCheckCommand
{
    /// <summary>The training file argument, shared with estimate and submit.</summary>
    public static readonly Argument<string> File = new("FILE") { Description = "The training file: OpenAI chat JSONL, one {\"messages\": [...]} example a line." };

    /// <summary>The validation file option, shared with submit.</summary>
    public static readonly Option<string?> Validation = new("--validation") { Description = "A validation file in the same format.", HelpName = "FILE" };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "check",
            "Parses a fine-tuning file (errors name the file, line and field) and validates it: roles, empty and over-long examples, duplicates, secrets, the validation set's overlap. Exit code 1 when an error is found; warnings alone exit 0.",
            "aieng finetune check data/train.jsonl",
            "aieng finetune check data/train.jsonl --validation data/validation.jsonl --json");
        command.Add(File);
        command.Add(Validation);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            var (training, validation) = await ReadAsync(context, cancellationToken);
            FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(training, validation, cancellationToken);
            context.WriteResult(
                new
                {
                    valid = report.IsValid,
                    trainingExamples = training.Count,
                    validationExamples = validation?.Count,
                    trainingTokens = report.TrainingTokens.Sum(),
                    issues = report.Issues.Select(i => new { severity = i.Severity.ToString(), rule = i.Rule, set = i.Set, example = i.ExampleIndex, exampleId = i.ExampleId, field = i.Field, message = i.Message }),
                },
                output => output.WriteLine(report.ToString()));
            return report.IsValid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
    }

    /// <summary>Reads the training file and the <c>--validation</c> file.</summary>
    public static async Task<(IReadOnlyList<FineTuningExample> Training, IReadOnlyList<FineTuningExample>? Validation)> ReadAsync(CliContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<FineTuningExample> training = await FineTuningJsonl.ReadExamplesAsync(context.ExistingFile(context.GetValue(File), "FILE"), cancellationToken: cancellationToken);
        IReadOnlyList<FineTuningExample>? validation = context.GetValue(Validation) is string path
            ? await FineTuningJsonl.ReadExamplesAsync(context.ExistingFile(path, "--validation"), cancellationToken: cancellationToken)
            : null;
        return (training, validation);
    }
}
