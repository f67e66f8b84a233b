using AiEng.Retrieval;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AiEng's retrieval services: a vector store collection of chunks, a chunker, a <see cref="DocumentIngestor"/> and an <see cref="IRetriever"/>.</summary>
public static class RetrievalAiEngBuilderExtensions
{
    /// <summary>
    /// Registers retrieval over one vector store collection, configured from <c>AiEng:Retrieval</c> (bound by
    /// <c>AddAiEng(configuration)</c>) and by <paramref name="configure"/>; see <see cref="AddRetrieval(AiEngBuilder)"/>.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets or overrides the options after configuration.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddRetrieval(this AiEngBuilder builder, Action<RetrievalServiceOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.AddRetrieval();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers retrieval over one vector store collection, configured from <c>AiEng:Retrieval</c> (bound by
    /// <c>AddAiEng(configuration)</c>): documents given to the registered <see cref="DocumentIngestor"/> are found by the
    /// registered <see cref="IRetriever"/>. The options are checked when the host starts.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// Every service is a singleton, added only when the application has not registered its own (so any piece can be
    /// replaced), created when first resolved and disposed with the container:
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// <see cref="VectorStore"/>: an <see cref="InMemoryVectorStore"/>. Register another MEVD store (SQLite with
    /// <c>AddSqliteVectorStore</c>, Qdrant, PostgreSQL...) to keep the chunks; the one registered last is used.
    /// </description></item>
    /// <item><description>
    /// <see cref="VectorStoreCollection{TKey, TRecord}"/> of <see cref="ChunkRecord"/>s: the collection
    /// <see cref="RetrievalServiceOptions.Collection"/> of that store, defined by <see cref="ChunkRecord.CreateDefinition"/>
    /// with <see cref="RetrievalServiceOptions.Dimensions"/> or else the default embedding generator's
    /// <see cref="EmbeddingGeneratorMetadata.DefaultModelDimensions"/>.
    /// </description></item>
    /// <item><description>
    /// <see cref="IChunker"/>: a <see cref="MarkdownSectionChunker"/> (which also splits plain text) of
    /// <see cref="RetrievalServiceOptions.ChunkSize"/> and <see cref="RetrievalServiceOptions.ChunkOverlap"/> tokens, counted
    /// in the default embedding model's own tokens when its generator offers an <see cref="EmbeddingTokenWindow"/> (AiEng.Onnx's
    /// does; an unset size is then capped to what the model reads of a document), else by the registered <see cref="ITokenCounter"/>.
    /// </description></item>
    /// <item><description><see cref="DocumentIngestor"/>: over the collection, the default embedding generator (chunks embedded as documents) and the chunker.</description></item>
    /// <item><description>
    /// <see cref="IRetriever"/>: per <see cref="RetrievalServiceOptions.Retriever"/>, hybrid (the default), dense or keyword
    /// retrieval over the collection. It creates the collection when missing, and its keyword index (BM25, in memory) is read
    /// from the collection at the first retrieval and again after every write made through the registered collection (for
    /// example by the registered ingestor); writes made to the store by other means are seen after a restart.
    /// </description></item>
    /// </list>
    /// <para>
    /// Failures: invalid options fail start-up with an <see cref="OptionsValidationException"/> naming the key (for example
    /// <c>AiEng:Retrieval:Retriever</c>); an embedding model that does not report its dimensions fails the first resolution
    /// of the collection with an <see cref="InvalidOperationException"/> asking for <c>AiEng:Retrieval:Dimensions</c>.
    /// </para>
    /// </remarks>
    public static AiEngBuilder AddRetrieval(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        AddCore(builder, name: null);
        return builder;
    }

    /// <summary>
    /// Registers a named retrieval corpus (for example <c>support</c>) beside the default one: a keyed
    /// <see cref="IRetriever"/>, <see cref="DocumentIngestor"/>, <see cref="IChunker"/> and collection, resolved with
    /// <c>[FromKeyedServices("support")]</c> or <c>GetRequiredKeyedService&lt;IRetriever&gt;("support")</c>, so that one
    /// application can serve several corpora. It is configured from <c>AiEng:Retrieval:Corpora:&lt;name&gt;</c> (same keys
    /// as <c>AiEng:Retrieval</c>); its collection defaults to <paramref name="name"/>.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="name">The corpus name, the key of its services.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    /// <remarks>
    /// The corpus uses the <see cref="VectorStore"/> registered under its name when there is one (for example
    /// <c>services.AddKeyedSingleton&lt;VectorStore&gt;("support", ...)</c>), and otherwise the default store; the default
    /// embedding generator and token counter. Everything else is as described for <see cref="AddRetrieval(AiEngBuilder)"/>,
    /// per corpus: each has its own keyword index, and a filter, chunk size or retriever kind of one corpus does not affect another.
    /// </remarks>
    public static AiEngBuilder AddRetrieval(this AiEngBuilder builder, string name)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhitespace(name);
        AddCore(builder, name);
        return builder;
    }

    /// <summary>Registers a named retrieval corpus configured from <c>AiEng:Retrieval:Corpora:&lt;name&gt;</c> and by <paramref name="configure"/>; see <see cref="AddRetrieval(AiEngBuilder, string)"/>.</summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="name">The corpus name, the key of its services.</param>
    /// <param name="configure">Sets or overrides the corpus's options after configuration.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public static AiEngBuilder AddRetrieval(this AiEngBuilder builder, string name, Action<RetrievalServiceOptions> configure)
    {
        Throw.IfNull(configure);
        builder.AddRetrieval(name);
        builder.Services.Configure(name, configure);
        return builder;
    }

    /// <summary>
    /// Registers retrieval over one vector store collection whose records are the application's own type
    /// <typeparamref name="TRecord"/>, converted by <paramref name="mapper"/>; otherwise as
    /// <see cref="AddRetrieval(AiEngBuilder)"/> (configured from <c>AiEng:Retrieval</c>; chain
    /// <see cref="AddRetrieval(AiEngBuilder, Action{RetrievalServiceOptions})"/> to set options in code).
    /// </summary>
    /// <typeparam name="TRecord">The stored record type, keyed by <see cref="Guid"/>.</typeparam>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="mapper">Converts chunks to and from <typeparamref name="TRecord"/> and translates filters.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="mapper"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// The collection of <typeparamref name="TRecord"/>s is registered as <see cref="VectorStoreCollection{TKey, TRecord}"/>
    /// of <see cref="Guid"/> and <typeparamref name="TRecord"/> (defined by <see cref="ChunkRecordMapper{TRecord}.CreateDefinition"/>,
    /// or the type's attributes), and the <see cref="VectorStoreCollection{TKey, TRecord}"/> of <see cref="ChunkRecord"/>s the
    /// ingestor and retriever use is a view of it through <paramref name="mapper"/>. Call it instead of
    /// <see cref="AddRetrieval(AiEngBuilder)"/>, not after it: the first registration of a corpus's collection is kept.
    /// </remarks>
    public static AiEngBuilder AddRetrieval<TRecord>(this AiEngBuilder builder, ChunkRecordMapper<TRecord> mapper)
        where TRecord : class
    {
        Throw.IfNull(builder);
        Throw.IfNull(mapper);
        Add(builder.Services, null, provider => CreateRecordCollection(provider, null, mapper));
        Add(builder.Services, null, provider => CreateMappedCollection(provider, null, mapper));
        return builder.AddRetrieval();
    }

    /// <summary>Registers a named retrieval corpus whose records are the application's own type; see <see cref="AddRetrieval{TRecord}(AiEngBuilder, ChunkRecordMapper{TRecord})"/> and <see cref="AddRetrieval(AiEngBuilder, string)"/>.</summary>
    /// <typeparam name="TRecord">The stored record type, keyed by <see cref="Guid"/>.</typeparam>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="name">The corpus name, the key of its services.</param>
    /// <param name="mapper">Converts chunks to and from <typeparamref name="TRecord"/> and translates filters.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="name"/> or <paramref name="mapper"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public static AiEngBuilder AddRetrieval<TRecord>(this AiEngBuilder builder, string name, ChunkRecordMapper<TRecord> mapper)
        where TRecord : class
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhitespace(name);
        Throw.IfNull(mapper);
        Add(builder.Services, name, provider => CreateRecordCollection(provider, name, mapper));
        Add(builder.Services, name, provider => CreateMappedCollection(provider, name, mapper));
        return builder.AddRetrieval(name);
    }

    private static void AddCore(AiEngBuilder builder, string? name)
    {
        IServiceCollection services = builder.Services;
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(RetrievalCorpus) && ((RetrievalCorpus)descriptor.ImplementationInstance!).Name == name))
        {
            // The first call for a corpus registers it; its options are bound from its section once, after the default collection name.
            var corpus = new RetrievalCorpus(name, RetrievalCorpus.SectionOf(builder.ConfigurationPath, name));
            services.AddSingleton(corpus);
            if (name is not null)
            {
                services.Configure<RetrievalServiceOptions>(name, value => value.Collection = name);
            }
        }

        // Bound with the standard binder, data annotations checked at start-up (every bad key named), then the rule across values.
        builder.AddOptions<RetrievalServiceOptions, RetrievalServiceOptionsAnnotationValidator>(RetrievalCorpus.SubsectionOf(name), name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetrievalServiceOptions>, RetrievalServiceOptionsValidator>());
        services.TryAddSingleton<VectorStore>(_ => new InMemoryVectorStore());
        Add(services, name, provider => CreateCollection(provider, name));

        // The retriever and the ingestor share one change-counting view of the collection, so the keyword index sees ingestions.
        Add(services, name, provider => ChangeTrackingCollection.Of(Resolve<VectorStoreCollection<Guid, ChunkRecord>>(provider, name)));
        Add<IChunker>(services, name, provider => DefaultChunker.Create(
            OptionsOf(provider, name),
            provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            provider.GetRequiredService<ITokenCounter>,
            RetrievalCorpus.SectionOf(provider.GetRequiredService<AiEngBuilder>().ConfigurationPath, name),
            provider.GetService<ILoggerFactory>()?.CreateLogger<IChunker>()));
        Add(services, name, provider => new DocumentIngestor(
            Resolve<ChangeTrackingCollection>(provider, name),
            provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            Resolve<IChunker>(provider, name),
            new DocumentIngestorOptions { FilterableFields = OptionsOf(provider, name).FilterableFields, TimeProvider = provider.GetService<TimeProvider>() },
            logger: provider.GetService<ILoggerFactory>()?.CreateLogger<DocumentIngestor>()));
        Add<IRetriever>(services, name, provider =>
        {
            RetrievalServiceOptions options = OptionsOf(provider, name);
            RetrieverKind kind = options.Retriever;
            var embeddingGenerator = kind == RetrieverKind.Keyword ? null : provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            var fusion = new HybridRetrieverOptions
            {
                Fusion = options.Fusion,
                CandidateDepth = options.FusionDepth,
                Weights = [1 - options.DenseWeight, options.DenseWeight],
            };
            return new CollectionRetriever(Resolve<ChangeTrackingCollection>(provider, name), kind, embeddingGenerator, options.FilterableFields, fusion, provider.GetService<ILoggerFactory>()?.CreateLogger<IRetriever>());
        });
    }

    /// <summary>Adds a singleton for the default corpus, or a keyed one for a named corpus, unless the application registered its own.</summary>
    private static void Add<T>(IServiceCollection services, string? name, Func<IServiceProvider, T> factory)
        where T : class
    {
        if (name is null)
        {
            services.TryAddSingleton(factory);
        }
        else
        {
            services.TryAddKeyedSingleton(name, (provider, _) => factory(provider));
        }
    }

    private static T Resolve<T>(IServiceProvider provider, string? name)
        where T : notnull =>
        name is null ? provider.GetRequiredService<T>() : provider.GetRequiredKeyedService<T>(name);

    private static RetrievalServiceOptions OptionsOf(IServiceProvider provider, string? name) =>
        provider.GetRequiredService<IOptionsMonitor<RetrievalServiceOptions>>().Get(name ?? Microsoft.Extensions.Options.Options.DefaultName);

    private static VectorStoreCollection<Guid, ChunkRecord> CreateCollection(IServiceProvider provider, string? name)
    {
        VectorStoreCollection<Guid, ChunkRecord> collection = StoreOf(provider, name).GetCollection<Guid, ChunkRecord>(
            OptionsOf(provider, name).Collection, ChunkRecord.CreateDefinition(DimensionsOf(provider, name)));
        return new ChangeTrackingCollection(collection, ownsInner: true);
    }

    private static VectorStoreCollection<Guid, TRecord> CreateRecordCollection<TRecord>(IServiceProvider provider, string? name, ChunkRecordMapper<TRecord> mapper)
        where TRecord : class =>
        StoreOf(provider, name).GetCollection<Guid, TRecord>(OptionsOf(provider, name).Collection, mapper.CreateDefinition(DimensionsOf(provider, name)));

    private static VectorStoreCollection<Guid, ChunkRecord> CreateMappedCollection<TRecord>(IServiceProvider provider, string? name, ChunkRecordMapper<TRecord> mapper)
        where TRecord : class =>
        new ChangeTrackingCollection(new MappedChunkCollection<TRecord>(Resolve<VectorStoreCollection<Guid, TRecord>>(provider, name), mapper, ownsInner: false), ownsInner: true);

    private static int DimensionsOf(IServiceProvider provider, string? name)
    {
        int? reported = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;
        return OptionsOf(provider, name).Dimensions ?? (reported is > 0 ? reported.Value : throw new InvalidOperationException(
                $"The default embedding model does not report its number of dimensions: set {RetrievalCorpus.SectionOf(provider.GetRequiredService<AiEngBuilder>().ConfigurationPath, name)}:Dimensions to it, for example 384 for all-MiniLM-L6-v2."));
    }

    private static VectorStore StoreOf(IServiceProvider provider, string? name) =>
        (name is null ? null : provider.GetKeyedService<VectorStore>(name)) ?? provider.GetRequiredService<VectorStore>();
}
