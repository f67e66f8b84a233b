using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Prompts;

/// <summary>
/// Checks at start-up that the prompt directory exists, naming the configuration key (<c>AiEng:Prompts:Directory</c>): a check
/// of the file system that data annotations do not make. That it is set, and the sandbox limits, are the options' data
/// annotations (<see cref="PromptRegistryOptionsAnnotationValidator"/>).
/// </summary>
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

        // An unset directory is reported by the annotations.
        if (!string.IsNullOrWhiteSpace(options.Directory) && !Directory.Exists(options.Directory))
        {
            return ValidateOptionsResult.Fail(
                $"{_key} is '{options.Directory}', which does not exist (resolved to '{Path.GetFullPath(options.Directory)}'): set it to the directory of the *.prompty files{ConfigurationKeys.ForExample(_key, "./prompts")}.");
        }

        return ValidateOptionsResult.Success;
    }
}
