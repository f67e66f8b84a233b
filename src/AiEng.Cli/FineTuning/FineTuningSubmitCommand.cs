using System.CommandLine;
using System.Globalization;
using AiEng.FineTuning;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.FineTuning;

/// <summary>
/// <c>aieng finetune submit FILE --model M</c>: <see cref="FineTuningJobRunner.SubmitAsync"/> (and, with <c>--wait</c>,
/// <see cref="FineTuningJobRunner.WaitForCompletionAsync"/>) of <c>AddOpenAIFineTuning().AddFineTuningJobs()</c>.
/// </summary>
internal static class FineTuningSubmitCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "The base model to fine-tune.", HelpName = "MODEL", Required = true };

    private static readonly Option<string> Name = new("--name") { Description = "The name of the uploaded files (NAME.train.jsonl, NAME.validation.jsonl).", DefaultValueFactory = _ => "aieng" };

    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Training epochs (the provider chooses when not given)." };

    private static readonly Option<string?> Suffix = new("--suffix") { Description = "A suffix for the fine-tuned model's name.", HelpName = "TEXT" };

    private static readonly Option<bool> Wait = new("--wait") { Description = "Follow the job until it ends, printing its events to standard error (Ctrl+C stops following; the job keeps running)." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "submit",
            "Uploads a training file (and --validation) and creates a fine-tuning job on the endpoint of AiEng:FineTuning:OpenAI (or AiEng:Chat's OpenAI settings); prints the job id. Training is billed: run 'finetune check' and 'finetune estimate' first.",
            "aieng finetune submit data/train.jsonl --model gpt-4o-mini-2024-07-18 --validation data/validation.jsonl --suffix tickets",
            "AiEng__FineTuning__OpenAI__ApiKey=sk-... aieng finetune submit data/train.jsonl --model gpt-4o-mini-2024-07-18 --wait --json");
        command.Add(FineTuningCheckCommand.File);
        command.Add(FineTuningCheckCommand.Validation);
        command.Add(Model);
        command.Add(Name);
        command.Add(Epochs);
        command.Add(Suffix);
        command.Add(Wait);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            var (training, validation) = await FineTuningCheckCommand.ReadAsync(context, cancellationToken);
            await using var services = context.BuildServices(builder => builder.AddOpenAIFineTuning().AddFineTuningJobs());
            var runner = services.GetRequiredService<FineTuningJobRunner>();
            var options = new FineTuningJobOptions
            {
                Suffix = context.GetValue(Suffix),
                Hyperparameters = context.GetValue(Epochs) is int epochs ? new FineTuningHyperparameters { EpochCount = epochs } : null,
            };
            FineTuningJob job = await runner.SubmitAsync(
                context.GetValue(Model)!,
                new FineTuningDataSet([.. training], new FineTuningProvenance()),
                context.GetValue(Name)!,
                options,
                validation is null ? null : new FineTuningDataSet([.. validation], new FineTuningProvenance()),
                cancellationToken);
            context.Progress($"finetune: created job {FineTuningCommands.Describe(job)}");
            if (context.GetValue(Wait))
            {
                var progress = new SynchronousProgress<FineTuningJobProgress>(report =>
                {
                    foreach (FineTuningJobEvent e in report.NewEvents)
                    {
                        context.Progress(string.Create(CultureInfo.InvariantCulture, $"finetune: {e.CreatedAt:HH:mm:ss} {e.Level} {e.Message}"));
                    }
                });
                job = await runner.WaitForCompletionAsync(job.Id, progress, cancellationToken);
            }

            context.WriteResult(FineTuningCommands.Json(job), output => output.WriteLine(FineTuningCommands.Describe(job)));
            return ExitCodes.Ok;
        });
    }
}
