namespace AiEng.Samples.CostOptimization;

/// <summary>
/// A stand-in for a paid chat model, so that the sample runs offline: it answers every question with a canned sentence and
/// reports the usage a hosted model would bill (a 400-token prompt, a 150-token answer) under the model id <see cref="Id"/>.
/// </summary>
internal sealed class PricedOfflineModel() : PricedStandInModel(Id, inputTokens: 400, outputTokens: 150)
{
    public const string Id = "gpt-4o-mini";

    protected override string Answer(string question) => $"(an answer to \"{question}\")";
}
