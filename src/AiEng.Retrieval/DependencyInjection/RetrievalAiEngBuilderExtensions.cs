using AiEng.Retrieval;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
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
    /// by the registered <see cref="ITokenCounter"/>.
    /// </description></item>
    /// <item><description><see cref="DocumentIngestor"/>: over the collection, the default embedding generator and the chunker.</description></item>
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
        IServiceCollection services = builder.Services;
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(IValidateOptions<RetrievalServiceOptions>)))
        {
            // The first call binds the Retrieval sub-section of AiEng's configuration, once; later calls add nothing twice.
            OptionsBuilder<RetrievalServiceOptions> options = services.AddOptions<RetrievalServiceOptions>().ValidateOnStart();
            if (builder.Configuration is { } configuration)
            {
                options.Configure(value => RetrievalServiceOptionsBinder.Bind(configuration.GetSection("Retrieval"), value));
            }
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetrievalServiceOptions>, RetrievalServiceOptionsValidator>());
        services.TryAddSingleton<VectorStore>(_ => new InMemoryVectorStore());
        services.TryAddSingleton(CreateCollection);

        // The retriever and the ingestor share one change-counting view of the collection, so the keyword index sees ingestions.
        services.TryAddSingleton(provider => ChangeTrackingCollection.Of(provider.GetRequiredService<VectorStoreCollection<string, ChunkRecord>>()));
        services.TryAddSingleton<IChunker>(provider =>
        {
            RetrievalServiceOptions options = provider.GetRequiredService<IOptions<RetrievalServiceOptions>>().Value;
            var chunker = new ChunkerOptions { ChunkSize = options.ChunkSize, ChunkOverlap = options.ChunkOverlap };
            return new MarkdownSectionChunker(provider.GetRequiredService<ITokenCounter>(), chunker);
        });
        services.TryAddSingleton(provider => new DocumentIngestor(
            provider.GetRequiredService<ChangeTrackingCollection>(),
            provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
            provider.GetRequiredService<IChunker>(),
            logger: provider.GetService<ILoggerFactory>()?.CreateLogger<DocumentIngestor>()));
        services.TryAddSingleton<IRetriever>(provider =>
        {
            RetrieverKind kind = provider.GetRequiredService<IOptions<RetrievalServiceOptions>>().Value.Retriever;
            var embeddingGenerator = kind == RetrieverKind.Keyword ? null : provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            return new CollectionRetriever(provider.GetRequiredService<ChangeTrackingCollection>(), kind, embeddingGenerator, provider.GetService<ILoggerFactory>()?.CreateLogger<IRetriever>());
        });
        return builder;
    }

    private static VectorStoreCollection<string, ChunkRecord> CreateCollection(IServiceProvider provider)
    {
        RetrievalServiceOptions options = provider.GetRequiredService<IOptions<RetrievalServiceOptions>>().Value;
        int? reported = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;
        int dimensions = options.Dimensions ?? (reported is > 0 ? reported.Value : throw new InvalidOperationException(
                $"The default embedding model does not report its number of dimensions: set {provider.GetRequiredService<AiEngBuilder>().ConfigurationPath}:Retrieval:Dimensions to it, for example 384 for all-MiniLM-L6-v2."));
        VectorStoreCollection<string, ChunkRecord> collection = provider.GetRequiredService<VectorStore>()
            .GetCollection<string, ChunkRecord>(options.Collection, ChunkRecord.CreateDefinition(dimensions));
        return new ChangeTrackingCollection(collection, ownsInner: true);
    }
}
