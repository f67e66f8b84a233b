using System.CommandLine;
using AiEng.FineTuning;

namespace AiEng.Cli.FineTuning;

/// <summary>The <c>finetune</c> command group, and what its commands share.</summary>
internal static class FineTuningCommands
{
    /// <summary>Creates <c>finetune</c> with <c>check</c>, <c>estimate</c>, <c>submit</c>, <c>status</c> and <c>cancel</c>.</summary>
    public static Command Create(CliApplication application) => new("finetune", "Check, price and submit fine-tuning data; follow and cancel jobs (AiEng:FineTuning:OpenAI).")
    {
        FineTuningCheckCommand.Create(application),
        FineTuningEstimateCommand.Create(application),
        FineTuningSubmitCommand.Create(application),
        FineTuningStatusCommand.Create(application),
        FineTuningCancelCommand.Create(application),
    };

    /// <summary>A job as JSON.</summary>
    public static object Json(FineTuningJob job) => new
    {
        id = job.Id,
        status = job.Status.ToString(),
        rawStatus = job.RawStatus,
        baseModel = job.BaseModel,
        fineTunedModel = job.FineTunedModel,
        error = job.Error?.ToString(),
    };

    /// <summary>A job on one line.</summary>
    public static string Describe(FineTuningJob job)
        => $"{job.Id}: {job.RawStatus ?? job.Status.ToString()} (base {job.BaseModel}{(job.FineTunedModel is null ? string.Empty : ", model " + job.FineTunedModel)}){(job.Error is null ? string.Empty : ": " + job.Error)}";
}
