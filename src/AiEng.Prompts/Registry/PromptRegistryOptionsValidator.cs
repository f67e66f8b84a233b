using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Prompts;

/// <summary>Checks the prompt directory at start-up, naming the configuration key (<c>AiEng:Prompts:Directory</c>).</summary>
internal sealed class PromptRegistryOptionsValidator : IValidateOptions<PromptRegistryOptions>
{
    private readonly string _key;

    /// <summary>Initializes a new instance of the <see cref="PromptRegistryOptionsValidator"/> class.</summary>
    /// <param name="aiEng">Knows the configuration path AiEng was bound from.</param>
    public PromptRegistryOptionsValidator(AiEngBuilder aiEng)
    {
        _key = aiEng.ConfigurationPath + ":Prompts:Directory";
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PromptRegistryOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail(
                $"{_key} is not set: set it to the directory of the *.prompty files, or call AddPrompts(directory).");
        }

        if (!Directory.Exists(options.Directory))
        {
            return ValidateOptionsResult.Fail(
                $"{_key} is '{options.Directory}', which does not exist (resolved to '{Path.GetFullPath(options.Directory)}').");
        }

        if (options.Template.MaxSteps < 1 || options.Template.MaxRecursion < 1)
        {
            return ValidateOptionsResult.Fail($"{_key}: the prompt sandbox limits MaxSteps and MaxRecursion must be at least 1.");
        }

        return ValidateOptionsResult.Success;
    }
}
