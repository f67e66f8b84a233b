using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Keys of the <see cref="AdditionalPropertiesDictionary"/> entries by which a cascade (<c>ChatClientBuilder.UseCascade</c>)
/// marks the requests it sends and the response it returns.
/// </summary>
public static class CascadeProperties
{
    /// <summary>
    /// The key whose value (an <see cref="int"/>) is the position of a model in the cascade: 0 for the first, cheapest model,
    /// 1 for the first escalation, and so on. The cascade sets it on the <see cref="ChatOptions.AdditionalProperties"/> of each
    /// request it sends, so that usage tracking records it (<see cref="UsageRecord.CascadeStep"/>), and on the response (and
    /// every streamed update) it returns, for the model that answered. Its value is also the number of escalations.
    /// </summary>
    public const string Step = "aieng.cascade_step";

    /// <summary>The key whose value (a <see cref="string"/>) names the model of the cascade that answered.</summary>
    public const string Model = "aieng.cascade_model";

    /// <summary>
    /// The key whose value (a <see cref="string"/> array, one entry per escalation, empty when the first answer was accepted)
    /// says why each earlier model's answer was not accepted, as <c>model: reason</c>.
    /// </summary>
    public const string Rejections = "aieng.cascade_rejections";

    /// <summary>Gets the cascade step from additional properties (<see cref="Step"/>), or <see langword="null"/> when there is none.</summary>
    /// <param name="properties">The request options', the response's or an update's additional properties.</param>
    /// <returns>The step, or <see langword="null"/>.</returns>
    public static int? GetStep(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Step, out object? value) && value is int step ? step : null;

    /// <summary>Gets the name of the cascade model that answered (<see cref="Model"/>), or <see langword="null"/> when no cascade did.</summary>
    /// <param name="properties">The response's or an update's additional properties.</param>
    /// <returns>The model's name, or <see langword="null"/>.</returns>
    public static string? GetModel(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Model, out object? value) && value is string name ? name : null;
}
