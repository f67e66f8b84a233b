using System.CommandLine;
using System.Globalization;
using AiEng.FineTuning;
using AiEng.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Cli.FineTuning;

/// <summary><c>aieng finetune estimate FILE --model M --epochs N</c>: <see cref="FineTuningCostEstimator.Estimate"/> with the prices of <c>AiEng:Usage:Prices</c>.</summary>
internal static class FineTuningEstimateCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "The base model to fine-tune.", HelpName = "MODEL", Required = true };

    private static readonly Option<int> Epochs = new("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 3 };

    private static readonly Option<string?> Teacher = new("--teacher") { Description = "A teacher model to compare inference costs with.", HelpName = "MODEL" };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "estimate",
            "Prices a fine-tuning job before it is submitted: billed training tokens and cost, and the inference cost per 1,000 requests of the base, teacher and fine-tuned models. Prices come from AiEng:Usage:Prices (TrainingPerMillion for training).",
            "aieng finetune estimate data/train.jsonl --model gpt-4o-mini-2024-07-18 --epochs 3",
            "aieng finetune estimate data/train.jsonl --model gpt-4o-mini-2024-07-18 --config prices.json --json");
        command.Add(FineTuningCheckCommand.File);
        command.Add(Model);
        command.Add(Epochs);
        command.Add(Teacher);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            int epochs = context.GetValue(Epochs);
            if (epochs < 1)
            {
                throw new CliInputException($"--epochs: {epochs.ToString(CultureInfo.InvariantCulture)} is not a positive number of epochs; use for example --epochs 3.");
            }

            IReadOnlyList<FineTuningExample> examples = await FineTuningJsonl.ReadExamplesAsync(context.ExistingFile(context.GetValue(FineTuningCheckCommand.File), "FILE"), cancellationToken: cancellationToken);
            await using var services = context.BuildServices();
            UsageTrackingOptions usage = services.GetRequiredService<IOptions<UsageTrackingOptions>>().Value;
            var options = new FineTuningCostOptions { BaseModel = context.GetValue(Model)!, Epochs = epochs, TeacherModel = context.GetValue(Teacher), Currency = usage.Currency };
            foreach (var (model, price) in usage.Prices)
            {
                options.Prices[model] = price;
            }

            FineTuningCostEstimate estimate = FineTuningCostEstimator.Estimate(examples, options);
            context.WriteResult(
                new
                {
                    baseModel = options.BaseModel,
                    examples = estimate.Examples,
                    epochs = estimate.Epochs,
                    trainingTokensPerEpoch = estimate.TrainingTokensPerEpoch,
                    billedTrainingTokens = estimate.BilledTrainingTokens,
                    trainingCost = estimate.TrainingCost,
                    currency = estimate.Currency,
                    inference = estimate.Inference.Select(i => new { role = i.Role, model = i.Model, promptTokens = i.PromptTokens, completionTokens = i.CompletionTokens, costPer1000Requests = i.CostPer1000Requests }),
                },
                output => output.WriteLine(estimate.ToString()));
            return ExitCodes.Ok;
        });
    }
}
