using AiEng.Prompts;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AiEng's prompt registry.</summary>
public static class PromptsAiEngBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IPromptRegistry"/> (a singleton <see cref="PromptRegistry"/>) loaded from the directory in
    /// <c>AiEng:Prompts:Directory</c> (bound by <c>AddAiEng(configuration)</c>) or set by <paramref name="configure"/>. The
    /// directory is checked when the host starts; the prompts are loaded and compiled when the registry is first resolved.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets or overrides the options after configuration.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// An unset or missing directory fails start-up with an <see cref="OptionsValidationException"/> that names the key. A
    /// malformed prompt file fails the first resolution with a <see cref="PromptException"/> naming the file, line and column.
    /// </remarks>
    public static AiEngBuilder AddPrompts(this AiEngBuilder builder, Action<PromptRegistryOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.AddPrompts();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers an <see cref="IPromptRegistry"/> loaded from the directory in <c>AiEng:Prompts:Directory</c>; see <see cref="AddPrompts(AiEngBuilder, Action{PromptRegistryOptions})"/>.</summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddPrompts(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        IServiceCollection services = builder.Services;

        // Bound from AiEng:Prompts once with the standard binder, data annotations checked at start-up, then the directory's existence.
        builder.AddOptions<PromptRegistryOptions, PromptRegistryOptionsAnnotationValidator>("Prompts");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptRegistryOptions>, PromptRegistryOptionsValidator>());
        services.TryAddSingleton<IPromptRegistry>(provider =>
        {
            PromptRegistryOptions value = provider.GetRequiredService<IOptions<PromptRegistryOptions>>().Value;
            return PromptRegistry.FromDirectory(value.Directory!, value.Template);
        });
        return builder;
    }

    /// <summary>Registers an <see cref="IPromptRegistry"/> loaded from <paramref name="directory"/>; see <see cref="AddPrompts(AiEngBuilder, Action{PromptRegistryOptions})"/>.</summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="directory">The directory of the <c>*.prompty</c> files; it overrides <c>AiEng:Prompts:Directory</c>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or whitespace.</exception>
    public static AiEngBuilder AddPrompts(this AiEngBuilder builder, string directory)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhitespace(directory);
        return builder.AddPrompts(options => options.Directory = directory);
    }
}
