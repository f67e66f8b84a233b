using System.Globalization;
using AiEng.FineTuning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.FineTuning;

/// <summary>
/// Step 7 of the sample: with a fine-tuning endpoint configured, submits the training and validation data and follows the
/// job, printing each status change and event; without one, says what to configure and skips.
/// </summary>
public static class FineTuningJobStep
{
    /// <summary>The key naming the base model to fine-tune; the default is <see cref="FineTuningSample.BaseModel"/>.</summary>
    public const string BaseModelKey = "AiEng:FineTuning:BaseModel";

    /// <summary>Gets a value indicating whether <paramref name="configuration"/> configures a fine-tuning endpoint or key.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><see langword="true"/> when <c>AiEng:FineTuning:OpenAI:Endpoint</c> or <c>ApiKey</c> is set.</returns>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["AiEng:FineTuning:OpenAI:Endpoint"]) || !string.IsNullOrWhiteSpace(configuration["AiEng:FineTuning:OpenAI:ApiKey"]);

    /// <summary>Submits <paramref name="training"/> (with <paramref name="validation"/>) and follows the job to its end.</summary>
    /// <param name="configuration">The configuration: <c>AiEng:FineTuning:OpenAI</c>, <c>AiEng:FineTuning:Jobs</c>, <see cref="BaseModelKey"/>.</param>
    /// <param name="training">The training data.</param>
    /// <param name="validation">The validation data.</param>
    /// <param name="output">Where progress is printed.</param>
    /// <param name="cancellationToken">Stops following the job (which keeps running at the provider).</param>
    /// <returns>The finished job, or <see langword="null"/> when nothing is configured.</returns>
    public static async Task<FineTuningJob?> RunAsync(
        IConfiguration configuration, FineTuningDataSet training, FineTuningDataSet validation, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (!IsConfigured(configuration))
        {
            await output.WriteLineAsync(
                "Fine-tuning job: skipped, no endpoint configured. To submit train.jsonl and follow the job, set " +
                "AiEng__FineTuning__OpenAI__ApiKey=sk-... (and, for another OpenAI-compatible endpoint, AiEng__FineTuning__OpenAI__Endpoint; " +
                $"the base model is {FineTuningSample.BaseModel} unless AiEng__FineTuning__BaseModel says otherwise). Training is billed.");
            return null;
        }

        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOpenAI().AddOpenAIFineTuning().AddFineTuningJobs();
        await using ServiceProvider provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<FineTuningJobRunner>();
        string baseModel = configuration[BaseModelKey] is { Length: > 0 } configured ? configured : FineTuningSample.BaseModel;

        FineTuningJob created = await runner.SubmitAsync(
            baseModel,
            training,
            "tickets",
            new FineTuningJobOptions { Hyperparameters = new FineTuningHyperparameters { EpochCount = 3 }, Seed = 42, Suffix = "tickets" },
            validation,
            cancellationToken);
        await output.WriteLineAsync($"Fine-tuning job {created.Id} created on {baseModel} ({created.RawStatus}); following it (Ctrl+C stops following, the job keeps running).");

        FineTuningJob last = created;
        await foreach (FineTuningJobProgress report in runner.FollowAsync(created.Id, cancellationToken))
        {
            foreach (FineTuningJobEvent e in report.NewEvents)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {e.CreatedAt:HH:mm:ss} {e.Level,-5} {e.Message}"));
            }

            if (report.StatusChanged)
            {
                await output.WriteLineAsync($"  status: {report.Job.RawStatus ?? report.Job.Status.ToString()}");
            }

            last = report.Job;
        }

        string outcome = last.Status switch
        {
            FineTuningJobStatus.Succeeded =>
                $"Fine-tuned model: {last.FineTunedModel}. Use it as a chat model: AiEng__ChatModels__tickets__Provider=OpenAI AiEng__ChatModels__tickets__Model={last.FineTunedModel}",
            FineTuningJobStatus.Failed => $"The job failed: {last.Error}",
            _ => $"The job ended {last.Status}.",
        };
        await output.WriteLineAsync(outcome);
        return last;
    }
}
