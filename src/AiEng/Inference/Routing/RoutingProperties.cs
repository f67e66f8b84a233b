using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>Keys of the <see cref="AdditionalPropertiesDictionary"/> entries by which routing by examples (<c>UseExampleRouting</c>) marks the response it returns.</summary>
public static class RoutingProperties
{
    /// <summary>The key whose value (a <see cref="string"/>) names the model the request was routed to: an examples' model, or the fallback.</summary>
    public const string Model = "aieng.route_model";

    /// <summary>Gets the name of the model a request was routed to (<see cref="Model"/>), or <see langword="null"/> when no router marked it.</summary>
    /// <param name="properties">The response's or an update's additional properties.</param>
    /// <returns>The model's name, or <see langword="null"/>.</returns>
    public static string? GetModel(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Model, out object? value) && value is string name ? name : null;
}
