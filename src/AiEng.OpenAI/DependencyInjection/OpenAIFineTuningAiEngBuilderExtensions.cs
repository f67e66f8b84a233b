using AiEng.FineTuning;
using AiEng.OpenAI;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OpenAI's fine-tuning API as the application's <see cref="IFineTuningClient"/>.</summary>
public static class OpenAIFineTuningAiEngBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IFineTuningClient"/> on OpenAI's files and fine-tuning API, configured by
    /// <see cref="OpenAIFineTuningOptions"/> from <c>AiEng:FineTuning:OpenAI</c> (<c>Endpoint</c>, <c>ApiKey</c>,
    /// <c>Organization</c>, <c>Project</c>), or by the default chat model's settings when that section sets neither endpoint
    /// nor key and the chat model is an OpenAI one. Its requests go through the <see cref="HttpClient"/> named
    /// <see cref="OpenAIModelProvider.HttpClientName"/>, as the chat and embedding models' do. The options are checked when
    /// the host starts. An <see cref="IFineTuningClient"/> the application registered itself is kept; adding it twice has
    /// no further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets the options in code, after configuration; <see langword="null"/> for configuration only.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOpenAIFineTuning(this AiEngBuilder builder, Action<OpenAIFineTuningOptions>? configure = null)
    {
        Throw.IfNull(builder);
        builder.Services.AddHttpClient(OpenAIModelProvider.HttpClientName);
        var options = builder.AddOptions<OpenAIFineTuningOptions>(OpenAIFineTuningOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIFineTuningOptions>, OpenAIFineTuningOptionsValidator>());
        builder.Services.TryAddSingleton<IFineTuningClient>(services =>
        {
            var fineTuning = services.GetRequiredService<IOptions<OpenAIFineTuningOptions>>().Value;
            var (resolved, _) = fineTuning.Resolve(services.GetRequiredService<IOptions<AiEngOptions>>().Value, builder.ConfigurationPath);
            return new OpenAIFineTuningClient(OpenAIModelProvider.CreateOpenAIClient(resolved, services));
        });
        return builder;
    }
}
