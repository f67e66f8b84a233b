using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.TestSupport;

/// <summary>Options of an imaginary extension package, registered with <c>AiEngBuilder.AddOptions</c> in tests.</summary>
internal sealed class GadgetOptions
{
    [Range(1, 100, ErrorMessage = "{0} must be between 1 and 100")]
    public int Size { get; set; } = 10;

    // The attribute's default message, not AiEng's wording.
    [Range(1, 5)]
    public int Level { get; set; } = 3;

    [Required(ErrorMessage = "{0} must be set")]
    [ConfigurationExample("blue")]
    public string? Color { get; set; } = "red";

    // A message that does not name the member.
    [MaxLength(3, ErrorMessage = "too long")]
    [ConfigurationExample("abc")]
    public string? Code { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    [ValidateObjectMembers]
    public GadgetPart Part { get; set; } = new();

    [ValidateEnumeratedItems]
    public List<GadgetPart> Spares { get; } = [];
}

/// <summary>A nested options object of <see cref="GadgetOptions"/>.</summary>
internal sealed class GadgetPart
{
    [Range(0.0, 1.0, ErrorMessage = "{0} must be between 0 and 1")]
    public double Weight { get; set; } = 0.5;
}

/// <summary>The data-annotation validator of <see cref="GadgetOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class GadgetOptionsAnnotationValidator : IValidateOptions<GadgetOptions>
{
}
