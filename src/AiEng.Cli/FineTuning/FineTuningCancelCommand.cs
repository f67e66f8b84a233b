using System.CommandLine;
using AiEng.FineTuning;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.FineTuning;

/// <summary><c>aieng finetune cancel JOB</c>: <see cref="IFineTuningClient.CancelJobAsync"/>.</summary>
internal static class FineTuningCancelCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "cancel",
            "Cancels a fine-tuning job and prints its status.",
            "aieng finetune cancel ftjob-abc123",
            "aieng finetune cancel ftjob-abc123 --json");
        command.Add(FineTuningStatusCommand.Job);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            await using var services = context.BuildServices(builder => builder.AddOpenAIFineTuning());
            FineTuningJob job = await services.GetRequiredService<IFineTuningClient>().CancelJobAsync(context.GetValue(FineTuningStatusCommand.Job), cancellationToken);
            context.WriteResult(FineTuningCommands.Json(job), output => output.WriteLine(FineTuningCommands.Describe(job)));
            return ExitCodes.Ok;
        });
    }
}
