using AiEng.Inference;
using AiEng.OpenAI;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OpenAIBatchChatClient"/>, OpenAI's Batch API at half price, in the application's services.</summary>
public static class OpenAIBatchAiEngBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="OpenAIBatchChatClient"/> singleton configured by <see cref="OpenAIBatchChatClientOptions"/> from
    /// <c>AiEng:Batch:OpenAI</c> (<c>Model</c>, <c>ChatModel</c>, <c>PollInterval</c>, <c>Timeout</c>, <c>BatchDiscount</c>).
    /// The batches go to the endpoint, API key, organization and project of the chat model <c>ChatModel</c> names under
    /// <c>AiEng:ChatModels</c>, or of the default chat model <c>AiEng:Chat</c>, which must be an OpenAI model; <c>Model</c>
    /// defaults to that model's. Answered lines are recorded in the application's <see cref="IUsageLedger"/> (when one is
    /// registered) at the prices of <c>AiEng:Usage:Prices</c> times <c>BatchDiscount</c>; polls follow the registered
    /// <see cref="TimeProvider"/>, if any. The options are checked when the host starts. Adding it twice has no further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets the options in code, after configuration; <see langword="null"/> for configuration only.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOpenAIBatch(this AiEngBuilder builder, Action<OpenAIBatchChatClientOptions>? configure = null)
    {
        Throw.IfNull(builder);
        builder.Services.AddHttpClient(OpenAIModelProvider.HttpClientName);
        var options = builder.AddOptions<OpenAIBatchChatClientOptions, OpenAIBatchChatClientOptionsAnnotationValidator>(OpenAIBatchChatClientOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIBatchChatClientOptions>, OpenAIBatchChatClientOptionsValidator>());
        builder.Services.TryAddSingleton(services =>
        {
            var batch = services.GetRequiredService<IOptions<OpenAIBatchChatClientOptions>>().Value;
            var errors = new List<string>();
            var (model, _) = OpenAIBatchChatClientOptionsValidator.Resolve(batch, services.GetRequiredService<IOptions<AiEngOptions>>().Value, builder.ConfigurationPath, errors)
                ?? throw new OptionsValidationException(Options.Options.DefaultName, typeof(OpenAIBatchChatClientOptions), errors);
            var clientOptions = batch.Clone();
            clientOptions.Model = string.IsNullOrWhiteSpace(clientOptions.Model) ? model.Model?.Trim() : clientOptions.Model.Trim();
            if (ReferenceEquals(clientOptions.TimeProvider, TimeProvider.System) && services.GetService<TimeProvider>() is { } time)
            {
                clientOptions.TimeProvider = time;
            }

            var prices = services.GetService<IOptions<UsageTrackingOptions>>()?.Value.Prices;
            return new OpenAIBatchChatClient(
                OpenAIModelProvider.CreateOpenAIClient(model, services, clientOptions.Model),
                clientOptions,
                services.GetService<IUsageLedger>(),
                prices is null ? null : new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase));
        });
        return builder;
    }
}
