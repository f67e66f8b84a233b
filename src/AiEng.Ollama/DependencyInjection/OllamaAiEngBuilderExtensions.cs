using AiEng.Ollama;
using AiEng.Providers;
using AiEng.Shared;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>Ollama</c> provider with AiEng.</summary>
public static class OllamaAiEngBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="OllamaModelProvider"/>, so that models configured with <c>Provider</c> <c>Ollama</c> are served by an
    /// Ollama server's native API through OllamaSharp.
    /// Its requests go through the <see cref="HttpClient"/> named <see cref="OllamaModelProvider.HttpClientName"/> (<c>AiEng.Ollama</c>) of
    /// <see cref="IHttpClientFactory"/>, registered here: add handlers with
    /// <c>services.AddHttpClient("AiEng.Ollama").AddHttpMessageHandler(...)</c>. Adding it twice has no further effect.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOllama(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        builder.Services.AddHttpClient(OllamaModelProvider.HttpClientName);
        return builder.AddProvider(new OllamaModelProvider());
    }

    /// <summary>
    /// Adds the <c>Ollama</c> provider (see <see cref="AddOllama(AiEngBuilder)"/>) and makes it serve the default chat model,
    /// whose options are set in code: <paramref name="configure"/> receives the default chat model's
    /// <see cref="ModelOptions"/> (the <c>AiEng:Chat</c> section, already bound from configuration when
    /// <c>AddAiEng(configuration)</c> was used) with <see cref="ModelOptions.Provider"/> set to <c>Ollama</c>, and sets
    /// <see cref="ModelOptions.Model"/>, <see cref="ModelOptions.Endpoint"/>, <see cref="ModelOptions.ApiKey"/> or
    /// <see cref="ModelOptions.Settings"/>. Values set here win over configuration; start-up validation checks them as it
    /// checks configured ones, naming the <c>AiEng:Chat</c> keys.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets the default chat model's options; called when AiEng's options are created.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>Named models and embedding models stay configured through <c>AiEngOptions</c> or configuration.</remarks>
    public static AiEngBuilder AddOllama(this AiEngBuilder builder, Action<ModelOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.AddOllama();
        builder.Services.Configure<AiEngOptions>(options =>
        {
            options.Chat ??= new ModelOptions();
            options.Chat.Provider = OllamaModelProvider.ProviderName;
            configure(options.Chat);
        });
        return builder;
    }
}
