using AiEng.Composition;
using AiEng.Configuration;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures AiEng's services; returned by <c>AddAiEng</c>.</summary>
/// <remarks>
/// Every chat client and embedding generator AiEng serves, whether a <see cref="ModelProvider"/> creates it from configuration or
/// the application supplies it with <see cref="UseChatClient"/> / <see cref="UseEmbeddingGenerator"/>, is wrapped in the same
/// pipeline. Outermost (nearest the caller) first: the middleware added with <see cref="ConfigureChatPipeline(Action{ChatClientBuilder})"/> (every model; an overload takes one model) or
/// <see cref="ConfigureEmbeddingPipeline(Action{EmbeddingGeneratorBuilder{string, Embedding{float}}})"/> in the order added, then AiEng's own middleware, then the model's client.
/// </remarks>
public sealed class AiEngBuilder
{
    private AiEngRegistry? _registry;

    /// <summary>Initializes a new instance of the <see cref="AiEngBuilder"/> class.</summary>
    /// <param name="services">The service collection AiEng is added to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public AiEngBuilder(IServiceCollection services)
    {
        Services = Throw.IfNull(services);
    }

    /// <summary>Gets the service collection AiEng is added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Gets AiEng's configuration section (the one <c>AddAiEng(configuration)</c> bound, usually <c>AiEng</c>), or
    /// <see langword="null"/> when AiEng is configured in code. Extension packages bind their own sub-section of it
    /// (<c>AddRetrieval</c> binds <c>Retrieval</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    public IConfiguration? Configuration => Registry.Configuration;

    /// <summary>
    /// Gets the configuration path of AiEng's section, for example <c>AiEng</c>, so that messages can name keys as the
    /// configuration spells them (<c>AiEng:Retrieval:Dimensions</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    public string ConfigurationPath => Registry.ConfigurationPath;

    private AiEngRegistry Registry => _registry ??= FindRegistry(Services)
        ?? throw new InvalidOperationException("AiEng is not added to this service collection: call services.AddAiEng(configuration) and use the builder it returns.");

    /// <summary>Registers a <see cref="ModelProvider"/>; configured models whose provider name matches it are served by it.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    /// <remarks>When several providers have the same name (any letter case), the one registered last serves the models.</remarks>
    public AiEngBuilder AddProvider(ModelProvider provider)
    {
        Throw.IfNull(provider);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(ModelProvider), provider));
        return this;
    }

    /// <summary>
    /// Serves a chat model with the application's own <see cref="IChatClient"/> (a custom provider) instead of a configured
    /// provider; it still gets AiEng's pipeline.
    /// </summary>
    /// <param name="factory">Creates the client once, from the application's services.</param>
    /// <param name="name">
    /// The name of the keyed model to serve (for example <c>fast</c>), or <see langword="null"/> for the default <see cref="IChatClient"/>.
    /// The configuration of that model (<c>AiEng:Chat</c> or <c>AiEng:ChatModels:&lt;name&gt;</c>) is then ignored.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    public AiEngBuilder UseChatClient(Func<IServiceProvider, IChatClient> factory, string? name = null)
    {
        Throw.IfNull(factory);
        CheckName(name);
        Registry.Chat.SetCustom(name, factory);
        if (name is not null)
        {
            // The name is known now, so the keyed client is registered under it (the registration for any key would serve it too).
            Services.TryAddKeyedSingleton<IChatClient>(name, (services, _) => services.GetRequiredService<AiEngModelFactory>().CreateChatClient(name));
        }

        return this;
    }

    /// <summary>
    /// Serves an embedding model with the application's own generator (a custom provider) instead of a configured provider;
    /// it still gets AiEng's pipeline.
    /// </summary>
    /// <param name="factory">Creates the generator once, from the application's services.</param>
    /// <param name="name">
    /// The name of the keyed model to serve, or <see langword="null"/> for the default generator. The configuration of that model
    /// (<c>AiEng:Embeddings</c> or <c>AiEng:EmbeddingModels:&lt;name&gt;</c>) is then ignored.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    public AiEngBuilder UseEmbeddingGenerator(Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> factory, string? name = null)
    {
        Throw.IfNull(factory);
        CheckName(name);
        Registry.Embeddings.SetCustom(name, factory);
        if (name is not null)
        {
            Services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(name, (services, _) => services.GetRequiredService<AiEngModelFactory>().CreateEmbeddingGenerator(name));
        }

        return this;
    }

    /// <summary>
    /// Adds the application's own MEAI middleware (for example <c>UseLogging</c>, <c>UseFunctionInvocation</c>, a cache) to the
    /// pipeline of every chat model AiEng serves, default and named.
    /// </summary>
    /// <param name="configure">Adds middleware with <c>Use...</c> calls; called once per model when its client is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>
    /// The middleware sits outside AiEng's own middleware: the first <c>Use</c> call of the first callback is outermost (nearest
    /// the caller), as in <see cref="ChatClientBuilder"/>.
    /// </remarks>
    public AiEngBuilder ConfigureChatPipeline(Action<ChatClientBuilder> configure)
    {
        Throw.IfNull(configure);
        Registry.Chat.AddPipeline(configure);
        return this;
    }

    /// <summary>
    /// Adds the application's own MEAI middleware to the pipeline of one chat model only: the named model
    /// <paramref name="name"/> (for example <c>fast</c>), or the default <see cref="IChatClient"/> when it is <see langword="null"/>.
    /// </summary>
    /// <param name="name">The named model (matched in any letter case, as configuration keys are), or <see langword="null"/> for the default model.</param>
    /// <param name="configure">Adds middleware with <c>Use...</c> calls; called once when that model's client is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>
    /// Middleware for one model and for every model (<see cref="ConfigureChatPipeline(Action{ChatClientBuilder})"/>) is applied
    /// in the order it was added, the first outermost, all of it outside AiEng's own middleware.
    /// </remarks>
    public AiEngBuilder ConfigureChatPipeline(string? name, Action<ChatClientBuilder> configure)
    {
        Throw.IfNull(configure);
        CheckName(name);
        Registry.Chat.AddPipeline(name, configure);
        return this;
    }

    /// <summary>
    /// Adds the application's own MEAI middleware to the pipeline of one embedding model only: the named model
    /// <paramref name="name"/>, or the default generator when it is <see langword="null"/>.
    /// </summary>
    /// <param name="name">The named model (matched in any letter case), or <see langword="null"/> for the default model.</param>
    /// <param name="configure">Adds middleware with <c>Use...</c> calls; called once when that model's generator is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>Applied in the order added together with the middleware for every model, the first outermost.</remarks>
    public AiEngBuilder ConfigureEmbeddingPipeline(string? name, Action<EmbeddingGeneratorBuilder<string, Embedding<float>>> configure)
    {
        Throw.IfNull(configure);
        CheckName(name);
        Registry.Embeddings.AddPipeline(name, configure);
        return this;
    }

    /// <summary>Adds the application's own MEAI middleware to the pipeline of every embedding model AiEng serves, default and named.</summary>
    /// <param name="configure">Adds middleware with <c>Use...</c> calls; called once per model when its generator is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The builder was not created by <c>AddAiEng</c>.</exception>
    /// <remarks>The middleware sits outside AiEng's own middleware, first callback outermost, as in <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>.</remarks>
    public AiEngBuilder ConfigureEmbeddingPipeline(Action<EmbeddingGeneratorBuilder<string, Embedding<float>>> configure)
    {
        Throw.IfNull(configure);
        Registry.Embeddings.AddPipeline(configure);
        return this;
    }

    /// <summary>
    /// Registers options bound from a sub-section of AiEng's configuration, as AiEng's own packages do: bound once with the
    /// standard configuration binder, every value it cannot convert reported (not only the first) with its key, environment
    /// variable and an example, and checked when the host starts (<c>ValidateOnStart</c>). For extension packages as much as
    /// for AiEng's.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="sectionName">The sub-section of AiEng's section, for example <c>Retrieval</c> or <c>Retrieval:Corpora:support</c>.</param>
    /// <param name="name">The options name (for named options, resolved with <c>IOptionsMonitor&lt;TOptions&gt;.Get(name)</c>), or <see langword="null"/> for the unnamed options.</param>
    /// <returns>The options builder, to add <c>Configure</c>, <c>PostConfigure</c> or more validation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sectionName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sectionName"/> or <paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">
    /// The builder was not created by <c>AddAiEng</c>, or the options of that type and name are already registered for another section.
    /// </exception>
    /// <remarks>
    /// <para>
    /// The first call for an options type and name binds the section (when AiEng is configured from configuration) and registers
    /// the start-up validation; a later call, when an <c>AddX</c> method is called twice, binds nothing again and returns a
    /// builder of the same options. Options configured in code are still validated, and their messages name the keys the
    /// configuration would use. Options of this type and name registered otherwise (with <c>services.AddOptions</c>) are not
    /// validated by AiEng.
    /// </para>
    /// <para>
    /// Use <see cref="AddOptions{TOptions, TValidator}(string, string?)"/> to check data annotations too. Rules across several
    /// values belong in an <see cref="IValidateOptions{TOptions}"/> of your own, registered beside it.
    /// </para>
    /// </remarks>
    public OptionsBuilder<TOptions> AddOptions<TOptions>(string sectionName, string? name = null)
        where TOptions : class
    {
        Throw.IfNullOrWhitespace(sectionName);
        if (name is not null)
        {
            Throw.IfNullOrWhitespace(name);
        }

        string optionsName = name ?? Microsoft.Extensions.Options.Options.DefaultName;
        string path = ConfigurationPath + ":" + sectionName;
        OptionsBuilder<TOptions> options = Services.AddOptions<TOptions>(optionsName);
        OptionsSection<TOptions>? existing = OptionsSection<TOptions>.Find(Sections<TOptions>(Services), optionsName);
        if (existing is not null)
        {
            return string.Equals(existing.Path, path, StringComparison.OrdinalIgnoreCase)
                ? options
                : throw new InvalidOperationException(
                    $"The options {typeof(TOptions).Name}{(name is null ? string.Empty : $" named '{name}'")} are already bound from {existing.Path}; they cannot also be bound from {path}.");
        }

        var section = new OptionsSection<TOptions>(optionsName, path);
        Services.AddSingleton(section);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, OptionsSectionValidator<TOptions>>());
        options.ValidateOnStart();
        if (Configuration is { } configuration)
        {
            Bind(section, configuration.GetSection(sectionName));
        }

        return options;
    }

    /// <summary>
    /// Registers options bound from a sub-section of AiEng's configuration, as <see cref="AddOptions{TOptions}(string, string?)"/>
    /// does, and checks their data annotations with <typeparamref name="TValidator"/> (a validator generated with
    /// <c>[OptionsValidator]</c>) when the host starts, reporting each failure with the key, its environment variable and an example.
    /// </summary>
    /// <typeparam name="TOptions">The options type, with data annotations (<c>[Range]</c>, <c>[Required]</c>, <c>[ValidateObjectMembers]</c>...).</typeparam>
    /// <typeparam name="TValidator">
    /// The data-annotation validator, for example <c>[OptionsValidator] internal sealed partial class MyOptionsAnnotationValidator : IValidateOptions&lt;MyOptions&gt;;</c>.
    /// </typeparam>
    /// <param name="sectionName">The sub-section of AiEng's section, for example <c>Retrieval</c>.</param>
    /// <param name="name">The options name, or <see langword="null"/> for the unnamed options.</param>
    /// <returns>The options builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sectionName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sectionName"/> or <paramref name="name"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">
    /// The builder was not created by <c>AddAiEng</c>, or the options of that type and name are already registered for another section.
    /// </exception>
    /// <remarks>
    /// <para>
    /// Each failure names the member's key below the section (<c>AiEng:Retrieval:ChunkSize</c>, or
    /// <c>AiEng:Retrieval:Corpora:support:ChunkSize</c> for named options), the environment variable
    /// (<c>AiEng__Retrieval__ChunkSize</c>) and an example: the member's <see cref="ConfigurationExampleAttribute"/>, else its
    /// value in a new instance of the options. Write an annotation's message as <c>{0} must ...</c>, for example
    /// <c>[Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1")]</c>, to read
    /// <c>AiEng:MyThing:Size is 0 but must be at least 1, for example 10 (environment variable AiEng__MyThing__Size=10).</c>;
    /// an attribute's default message keeps its words, with the key in place of the member name.
    /// </para>
    /// <para>The validator is registered once per options type, whatever the number of names.</para>
    /// </remarks>
    public OptionsBuilder<TOptions> AddOptions<TOptions, TValidator>(string sectionName, string? name = null)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        OptionsBuilder<TOptions> options = AddOptions<TOptions>(sectionName, name);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, AnnotatedOptionsValidator<TOptions, TValidator>>());
        return options;
    }

    /// <summary>
    /// Binds one more configuration section into options registered with <see cref="AddOptions{TOptions}(string, string?)"/>
    /// (what a second <c>AddAiEng(configuration)</c> does), keeping the values it cannot convert for their validation.
    /// </summary>
    internal void BindAlso<TOptions>(IConfigurationSection configuration, string? name = null)
        where TOptions : class
    {
        OptionsSection<TOptions> section = OptionsSection<TOptions>.Find(Sections<TOptions>(Services), name)
            ?? throw new InvalidOperationException($"{typeof(TOptions).Name} is not registered with AddOptions.");
        Bind(section, configuration);
    }

    /// <summary>Binds <paramref name="configuration"/> into the options of <paramref name="section"/>, again whenever the configuration reloads.</summary>
    private void Bind<TOptions>(OptionsSection<TOptions> section, IConfigurationSection configuration)
        where TOptions : class
    {
        Services.AddOptions<TOptions>(section.Name).Configure(value => section.Bind(configuration, value));
        Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(section.Name, configuration));
    }

    private static IEnumerable<OptionsSection<TOptions>> Sections<TOptions>(IServiceCollection services)
        where TOptions : class =>
        services.Where(descriptor => descriptor.ServiceType == typeof(OptionsSection<TOptions>) && !descriptor.IsKeyedService)
            .Select(descriptor => descriptor.ImplementationInstance)
            .OfType<OptionsSection<TOptions>>();

    internal static AiEngRegistry? FindRegistry(IServiceCollection services) =>
        services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(AiEngRegistry) && !descriptor.IsKeyedService)?.ImplementationInstance as AiEngRegistry;

    private static void CheckName(string? name)
    {
        if (name is not null)
        {
            Throw.IfNullOrWhitespace(name);
        }
    }
}
