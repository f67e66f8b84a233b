using System.CommandLine;
using AiEng.FineTuning;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.FineTuning;

/// <summary><c>aieng finetune status JOB</c>: <see cref="IFineTuningClient.GetJobAsync"/>.</summary>
internal static class FineTuningStatusCommand
{
    /// <summary>The job id argument, shared with cancel.</summary>
    public static readonly Argument<string> Job = new("JOB") { Description = "The fine-tuning job's id (ftjob-...)." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "status",
            "Prints a fine-tuning job's status, base model, fine-tuned model and error.",
            "aieng finetune status ftjob-abc123",
            "aieng finetune status ftjob-abc123 --json");
        command.Add(Job);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            await using var services = context.BuildServices(builder => builder.AddOpenAIFineTuning());
            FineTuningJob job = await services.GetRequiredService<IFineTuningClient>().GetJobAsync(context.GetValue(Job), cancellationToken);
            context.WriteResult(FineTuningCommands.Json(job), output => output.WriteLine(FineTuningCommands.Describe(job)));
            return ExitCodes.Ok;
        });
    }
}
