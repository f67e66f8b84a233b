using AiEng.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI;

/// <summary>
/// Checks the endpoint and API key the fine-tuning client will use, with the OpenAI provider's own checks, so the messages
/// name the key (under <c>AiEng:FineTuning:OpenAI</c>, or <c>AiEng:Chat</c> when that is where they come from), its
/// environment variable and an example.
/// </summary>
internal sealed class OpenAIFineTuningOptionsValidator(IOptions<AiEngOptions> aiEng, AiEngBuilder builder) : IValidateOptions<OpenAIFineTuningOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAIFineTuningOptions options)
    {
        var (resolved, path) = options.Resolve(aiEng.Value, builder.ConfigurationPath);
        var errors = new List<string>();
        new OpenAIModelProvider().Validate(resolved, ModelKind.Chat, path, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
