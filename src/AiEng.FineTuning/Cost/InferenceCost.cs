namespace AiEng.FineTuning;

/// <summary>The inference cost of one model per 1,000 requests shaped like the data set's examples.</summary>
public sealed class InferenceCost
{
    /// <summary>Initializes a new instance of the <see cref="InferenceCost"/> class.</summary>
    /// <param name="role">The model's part: <c>base</c>, <c>teacher</c> or <c>fine-tuned</c>.</param>
    /// <param name="model">The model id (the price key).</param>
    /// <param name="promptTokens">The prompt tokens of one request.</param>
    /// <param name="completionTokens">The completion tokens of one request.</param>
    /// <param name="costPer1000Requests">The cost of 1,000 requests, or <see langword="null"/> when the model has no price.</param>
    public InferenceCost(string role, string model, double promptTokens, double completionTokens, decimal? costPer1000Requests)
    {
        Role = role;
        Model = model;
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        CostPer1000Requests = costPer1000Requests;
    }

    /// <summary>Gets the model's part: <c>base</c>, <c>teacher</c> or <c>fine-tuned</c>.</summary>
    public string Role { get; }

    /// <summary>Gets the model id (the price key).</summary>
    public string Model { get; }

    /// <summary>Gets the prompt tokens of one request.</summary>
    public double PromptTokens { get; }

    /// <summary>Gets the completion tokens of one request.</summary>
    public double CompletionTokens { get; }

    /// <summary>Gets the cost of 1,000 requests, or <see langword="null"/> when the model has no price.</summary>
    public decimal? CostPer1000Requests { get; }
}
