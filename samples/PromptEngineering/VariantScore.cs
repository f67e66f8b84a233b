namespace AiEng.Samples.PromptEngineering;

/// <summary>How one prompt variant did on the labelled test set with the configured model.</summary>
/// <param name="Variant">The prompt version: zero-shot, few-shot or structured.</param>
/// <param name="Correct">The tickets whose category the model answered right.</param>
/// <param name="Total">The tickets of the test set.</param>
/// <param name="InputTokens">The input tokens the provider reported, summed over the tickets (and repair attempts).</param>
/// <param name="OutputTokens">The output tokens the provider reported, summed likewise.</param>
/// <param name="Cost">The cost of those tokens at <see cref="PromptEngineeringApp.Price"/>.</param>
internal sealed record VariantScore(string Variant, int Correct, int Total, long InputTokens, long OutputTokens, decimal Cost)
{
    /// <summary>Gets the share of tickets answered right, 0 to 1.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Gets the cost of classifying 1,000 tickets at the measured average.</summary>
    public decimal CostPerThousand => Total == 0 ? 0 : Cost / Total * 1000;
}
