using AiEng.Inference;
using AiEng.Tokens;

namespace AiEng.FineTuning;

/// <summary>The models and prices a <see cref="FineTuningCostEstimator"/> estimate is made for.</summary>
public sealed class FineTuningCostOptions
{
    /// <summary>Gets the prices per model id (bound like <see cref="UsageTrackingOptions.Prices"/>); the base model needs <see cref="ModelPrice.TrainingPerMillion"/> for a training cost.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the model to fine-tune, for example <c>gpt-4o-mini-2024-07-18</c>. Required.</summary>
    public string BaseModel { get; set; } = string.Empty;

    /// <summary>Gets or sets the price key of the fine-tuned model's inference; <see langword="null"/> (the default) for <c>ft:</c> followed by <see cref="BaseModel"/>.</summary>
    public string? FineTunedModel { get; set; }

    /// <summary>Gets or sets the teacher model to compare with (for example the large model the data was distilled from), or <see langword="null"/>.</summary>
    public string? TeacherModel { get; set; }

    /// <summary>Gets or sets the number of passes over the training file. Default 3.</summary>
    public int Epochs { get; set; } = 3;

    /// <summary>
    /// Gets or sets the prompt tokens one request needs without fine-tuning (for example with the instructions and few-shot
    /// examples the fine-tuned model no longer needs), for the base and teacher rows; <see langword="null"/> (the default)
    /// for the data set's average prompt.
    /// </summary>
    public int? PromptTokensWithoutFineTuning { get; set; }

    /// <summary>Gets or sets the tokenizer; <see langword="null"/> (the default) for Tiktoken <c>o200k_base</c>.</summary>
    public ITokenCounter? TokenCounter { get; set; }

    /// <summary>Gets or sets the currency label of the prices. Default <c>USD</c>.</summary>
    public string Currency { get; set; } = "USD";
}
