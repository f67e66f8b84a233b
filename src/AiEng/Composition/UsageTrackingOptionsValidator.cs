using AiEng.Inference;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// Start-up validation of the <see cref="UsageTrackingOptions"/> bound from <c>AiEng:Usage</c> (registered with
/// <c>ValidateOnStart</c>), so that a negative price or an empty budget fails when the host starts, naming its key.
/// </summary>
internal sealed class UsageTrackingOptionsValidator : IValidateOptions<UsageTrackingOptions>
{
    private readonly string _configurationPath;

    /// <summary>Initializes a new instance of the <see cref="UsageTrackingOptionsValidator"/> class.</summary>
    /// <param name="registry">Knows the configuration path AiEng was bound from.</param>
    public UsageTrackingOptionsValidator(AiEngRegistry registry)
    {
        _configurationPath = registry.ConfigurationPath + ":Usage";
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, UsageTrackingOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        options.Validate(_configurationPath, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
