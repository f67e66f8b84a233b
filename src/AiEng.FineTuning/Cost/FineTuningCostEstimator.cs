using AiEng.Inference;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Estimates, before anything is submitted, what fine-tuning costs (training tokens × epochs × the base model's training
/// price) and what each model costs to serve per 1,000 requests shaped like the examples: the base model, the teacher and
/// the fine-tuned model side by side.
/// </summary>
/// <remarks>
/// Tokens are counted with the configured tokenizer (Tiktoken <c>o200k_base</c> by default) and OpenAI's message framing, as
/// <see cref="FineTuningValidator.CountTokens"/> does; providers bill their own count, so treat the figures as estimates.
/// </remarks>
public static class FineTuningCostEstimator
{
    /// <summary>Estimates the cost of fine-tuning on <paramref name="examples"/>.</summary>
    /// <param name="examples">The training examples.</param>
    /// <param name="options">The models and prices.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="FineTuningCostOptions.BaseModel"/> is empty, or <see cref="FineTuningCostOptions.Epochs"/> is below 1.</exception>
    public static FineTuningCostEstimate Estimate(IReadOnlyList<FineTuningExample> examples, FineTuningCostOptions options)
    {
        Throw.IfNull(examples);
        Throw.IfNull(options);
        if (string.IsNullOrWhiteSpace(options.BaseModel))
        {
            throw new ArgumentException("FineTuningCostOptions.BaseModel is required: the model to fine-tune, for example 'gpt-4o-mini-2024-07-18'.", nameof(options));
        }

        if (options.Epochs < 1)
        {
            throw new ArgumentException($"FineTuningCostOptions.Epochs must be at least 1, not {options.Epochs}.", nameof(options));
        }

        ITokenCounter counter = options.TokenCounter ?? TiktokenTokenCounter.O200kBase;
        long trainingTokens = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        foreach (FineTuningExample example in examples)
        {
            Throw.IfNull(example, nameof(examples));
            trainingTokens += FineTuningValidator.CountTokens(example, counter);
            int last = LastAssistant(example.Messages);
            promptTokens += ChatTokenEstimator.CountTokens(counter, example.Messages.Take(last < 0 ? example.Messages.Count : last));
            completionTokens += last < 0 ? 0 : ChatTokenEstimator.CountContentTokens(counter, example.Messages[last].Contents);
        }

        int count = Math.Max(examples.Count, 1);
        double averagePrompt = (double)promptTokens / count;
        double averageCompletion = (double)completionTokens / count;
        double promptWithout = options.PromptTokensWithoutFineTuning ?? averagePrompt;

        ModelPrice? basePrice = ModelPrice.Find(options.Prices, options.BaseModel);
        var rows = new List<InferenceCost> { Row("base", options.BaseModel, promptWithout, averageCompletion, options.Prices) };
        if (!string.IsNullOrWhiteSpace(options.TeacherModel))
        {
            rows.Add(Row("teacher", options.TeacherModel, promptWithout, averageCompletion, options.Prices));
        }

        rows.Add(Row("fine-tuned", options.FineTunedModel ?? "ft:" + options.BaseModel, averagePrompt, averageCompletion, options.Prices));
        return new FineTuningCostEstimate
        {
            Examples = examples.Count,
            TrainingTokensPerEpoch = trainingTokens,
            Epochs = options.Epochs,
            TrainingCost = basePrice?.TrainingPerMillion is decimal perMillion ? trainingTokens * options.Epochs * perMillion / 1_000_000m : null,
            AveragePromptTokens = averagePrompt,
            AverageCompletionTokens = averageCompletion,
            Inference = rows,
            Currency = options.Currency,
        };
    }

    private static InferenceCost Row(string role, string model, double prompt, double completion, IDictionary<string, ModelPrice> prices)
    {
        ModelPrice? price = ModelPrice.Find(prices, model);
        decimal? per1000 = price is null ? null : ((decimal)prompt * price.InputPerMillion + (decimal)completion * price.OutputPerMillion) * 1000m / 1_000_000m;
        return new InferenceCost(role, model, prompt, completion, per1000);
    }

    private static int LastAssistant(IList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                return i;
            }
        }

        return -1;
    }
}
