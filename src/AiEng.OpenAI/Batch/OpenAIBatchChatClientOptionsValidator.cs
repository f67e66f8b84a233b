using AiEng.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI;

/// <summary>
/// Checks what <c>AddOpenAIBatch()</c> sends the batches to: the chat model <see cref="OpenAIBatchChatClientOptions.ChatModel"/>
/// names must exist and be an OpenAI model, with an endpoint and key the OpenAI provider accepts. The messages name the keys.
/// </summary>
internal sealed class OpenAIBatchChatClientOptionsValidator(IOptions<AiEngOptions> aiEng, AiEngBuilder builder) : IValidateOptions<OpenAIBatchChatClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAIBatchChatClientOptions options)
    {
        var errors = new List<string>();
        if (Resolve(options, aiEng.Value, builder.ConfigurationPath, errors) is { } resolved)
        {
            new OpenAIModelProvider().Validate(resolved.Model, ModelKind.Chat, resolved.Path, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Finds the chat model the batches are sent to and the configuration path of its keys; reports and returns
    /// <see langword="null"/> when it is missing or not an OpenAI model.
    /// </summary>
    internal static (ModelOptions Model, string Path)? Resolve(OpenAIBatchChatClientOptions options, AiEngOptions aiEng, string aiEngPath, ICollection<string> errors)
    {
        string batchPath = aiEngPath + ":" + OpenAIBatchChatClientOptions.SectionName;
        ModelOptions model;
        string path;
        if (string.IsNullOrWhiteSpace(options.ChatModel))
        {
            model = aiEng.Chat;
            path = aiEngPath + ":Chat";
        }
        else if (aiEng.ChatModels.TryGetValue(options.ChatModel.Trim(), out var named))
        {
            model = named;
            path = aiEngPath + ":ChatModels:" + options.ChatModel.Trim();
        }
        else
        {
            errors.Add(
                $"{batchPath}:ChatModel is '{options.ChatModel}', but no chat model of that name is configured under {aiEngPath}:ChatModels; "
                + $"name one of [{string.Join(", ", aiEng.ChatModels.Keys.Order(StringComparer.Ordinal))}], or leave it empty for the default chat model {aiEngPath}:Chat.");
            return null;
        }

        if (!string.Equals(model.Provider?.Trim(), OpenAIModelProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(
                $"AddOpenAIBatch() sends batches to an OpenAI endpoint, but the chat model at {path} has provider '{model.Provider}'; "
                + $"set {path}:Provider=OpenAI (with its Endpoint and ApiKey), or name an OpenAI chat model in {batchPath}:ChatModel.");
            return null;
        }

        return (model, path);
    }
}
