using AiEng.Composition;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Providers;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AiEng to an <see cref="IServiceCollection"/>.</summary>
public static class AiEngServiceCollectionExtensions
{
    private const string UsageSection = "Usage";
    private const string ResilienceSection = "Resilience";

    /// <summary>
    /// Adds AiEng configured from <paramref name="configuration"/>: the default <see cref="IChatClient"/> and
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, a keyed one per named model, and the built-in <c>Offline</c> chat
    /// provider (the extractive responder). Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configuration">
    /// Either the application's configuration (root), whose <c>AiEng</c> section is bound, or a configuration section, which is
    /// bound itself (for example <c>configuration.GetSection("AiEng")</c> or <c>configuration.GetSection("MyApp:Ai")</c>). Messages name
    /// keys by that section's path.
    /// </param>
    /// <returns>The builder, to add providers (<c>.AddOpenAI()</c>, <c>.AddOllama()</c>, <c>.AddOnnx()</c>), clients and middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// Named models (<c>AiEng:ChatModels:&lt;name&gt;</c>, <c>AiEng:EmbeddingModels:&lt;name&gt;</c>) are served as keyed services: one
    /// keyed registration under <see cref="KeyedService.AnyKey"/> creates the client of any name when it is first resolved (one
    /// singleton per name) and checks then that the name is a configured model; resolving a name that is not configured throws
    /// <see cref="OptionsValidationException"/> naming the key to set. A keyed client the application registers under a
    /// specific name wins over it, as specific keys do in the container.
    /// </para>
    /// <para>
    /// The offline responder counts tokens with the <c>ITokenCounter</c> registered in <paramref name="services"/>. Clients are
    /// singletons, created when first resolved.
    /// </para>
    /// </remarks>
    public static AiEngBuilder AddAiEng(this IServiceCollection services, IConfiguration configuration)
    {
        Throw.IfNull(services);
        Throw.IfNull(configuration);
        var section = configuration as IConfigurationSection ?? configuration.GetSection(AiEngOptions.SectionName);
        var (builder, added) = AddCore(services, section.Path, section);

        // AddAiEng binds only what it registers; AddRetrieval, AddPrompts, AddEvaluation and the providers bind their own sections.
        // The first call bound Usage and Resilience when it registered them; a later call binds its own sections into them too.
        services.AddOptions<AiEngOptions>().Bind(section);
        if (!added)
        {
            builder.BindAlso<UsageTrackingOptions>(section.GetSection(UsageSection));
            builder.BindAlso<ResilienceOptions>(section.GetSection(ResilienceSection));
        }

        return builder;
    }

    /// <summary>Adds AiEng configured in code; see <see cref="AddAiEng(IServiceCollection, IConfiguration)"/>.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configure">Sets the options; registered with <c>services.Configure(configure)</c> and called when the options are created.</param>
    /// <returns>The builder, to add providers, clients and middleware.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>Messages name keys as the configuration would (<c>AiEng:Chat:Model</c>).</remarks>
    public static AiEngBuilder AddAiEng(this IServiceCollection services, Action<AiEngOptions> configure)
    {
        Throw.IfNull(services);
        Throw.IfNull(configure);
        var (builder, _) = AddCore(services, AiEngOptions.SectionName, configuration: null);
        services.Configure(configure);
        return builder;
    }

    private static (AiEngBuilder Builder, bool Added) AddCore(IServiceCollection services, string configurationPath, IConfiguration? configuration)
    {
        if (AiEngBuilder.FindRegistry(services) is { } existing)
        {
            // A second call (the application's and a library's, say) binds its section into the same options; the keyed
            // registrations below already serve every name.
            existing.Configuration ??= configuration;
            return (existing.Builder, false);
        }

        var registry = new AiEngRegistry(configurationPath, configuration);
        services.AddSingleton(registry);
        registry.Builder = new AiEngBuilder(services);
        services.AddSingleton(registry.Builder);
        services.AddOptions<AiEngOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AiEngOptions>, AiEngOptionsValidator>());
        services.TryAddSingleton<AiEngModelFactory>();

        // Usage tracking: one ledger shared by every model (so totals and budgets span chat and embeddings), options from
        // AiEng:Usage checked at start-up (annotations, then every price and budget), and the o200k_base counter for the
        // offline responder's usage figures.
        services.TryAddSingleton<IUsageLedger, UsageLedger>();
        registry.Builder.AddOptions<UsageTrackingOptions, UsageTrackingOptionsAnnotationValidator>(UsageSection);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UsageTrackingOptions>, UsageTrackingOptionsValidator>());
        services.TryAddSingleton<ITokenCounter>(_ => TiktokenTokenCounter.O200kBase);

        // One rate limiter per provider and model in the process, shared by every client of the model.
        services.TryAddSingleton(provider => new ModelRateLimiters(provider.GetService<TimeProvider>()));

        // Resilience around every provider call: one pipeline per model in Polly's registry (with Polly's telemetry), built
        // from the options of AiEng:Resilience, which are checked at start-up (annotations, then the rules across values).
        registry.Builder.AddOptions<ResilienceOptions, ResilienceOptionsAnnotationValidator>(ResilienceSection);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>());
        ModelResiliencePipelines.AddTo(services);

        var builder = registry.Builder.AddProvider(new OfflineModelProvider());

        // A good guest: a default IChatClient or embedding generator the application registered itself (before this call) is
        // kept; one it registers after this call wins anyway, as the last registration of a service does.
        services.TryAddSingleton<IChatClient>(provider => provider.GetRequiredService<AiEngModelFactory>().CreateChatClient(name: null));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider => provider.GetRequiredService<AiEngModelFactory>().CreateEmbeddingGenerator(name: null));

        // Named models: one registration for any key, so that the names need not be known now (configuration sources and
        // Configure<AiEngOptions> callbacks may add models later). The container caches one singleton per key; the factory
        // checks the name against the options when it is resolved. A key that is not a string is not AiEng's: null (no service).
        services.TryAddKeyedSingleton<IChatClient>(
            KeyedService.AnyKey,
            (provider, key) => key is string name ? provider.GetRequiredService<AiEngModelFactory>().CreateChatClient(name) : null!);
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            KeyedService.AnyKey,
            (provider, key) => key is string name ? provider.GetRequiredService<AiEngModelFactory>().CreateEmbeddingGenerator(name) : null!);
        return (builder, true);
    }
}
