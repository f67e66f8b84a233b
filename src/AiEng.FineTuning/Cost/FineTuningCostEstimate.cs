using System.Globalization;
using System.Text;

namespace AiEng.FineTuning;

/// <summary>What fine-tuning on a data set would cost, and what serving each model would cost afterwards.</summary>
public sealed class FineTuningCostEstimate
{
    /// <summary>Gets the number of examples.</summary>
    public int Examples { get; init; }

    /// <summary>Gets the tokens of the training file (one epoch).</summary>
    public long TrainingTokensPerEpoch { get; init; }

    /// <summary>Gets the number of epochs.</summary>
    public int Epochs { get; init; }

    /// <summary>Gets the billed training tokens: <see cref="TrainingTokensPerEpoch"/> × <see cref="Epochs"/>.</summary>
    public long BilledTrainingTokens => TrainingTokensPerEpoch * Epochs;

    /// <summary>Gets the training cost, or <see langword="null"/> when the base model has no training price.</summary>
    public decimal? TrainingCost { get; init; }

    /// <summary>Gets the average prompt tokens of an example (every message before its last assistant message, with framing).</summary>
    public double AveragePromptTokens { get; init; }

    /// <summary>Gets the average completion tokens of an example (its last assistant message).</summary>
    public double AverageCompletionTokens { get; init; }

    /// <summary>Gets the inference cost per 1,000 requests of the base, teacher (when given) and fine-tuned models.</summary>
    public IReadOnlyList<InferenceCost> Inference { get; init; } = [];

    /// <summary>Gets the currency label.</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Formats the estimate as a small text table.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"Training: {Examples} examples, {TrainingTokensPerEpoch:N0} tokens x {Epochs} epochs = {BilledTrainingTokens:N0} billed tokens, ")
            .Append(TrainingCost is decimal cost ? string.Create(c, $"{cost:0.00##} {Currency}") : "no training price").AppendLine();
        text.Append(c, $"{"model",-12} {"id",-32} {"prompt",8} {"output",8} {"per 1,000 requests",20}");
        foreach (InferenceCost row in Inference)
        {
            string price = row.CostPer1000Requests is decimal value ? string.Create(c, $"{value:0.00##} {Currency}") : "no price";
            text.AppendLine().Append(c, $"{row.Role,-12} {row.Model,-32} {row.PromptTokens,8:N0} {row.CompletionTokens,8:N0} {price,20}");
        }

        return text.ToString();
    }
}
