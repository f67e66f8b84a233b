using System.Globalization;
using System.Text;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Rag;

/// <summary>The sample's services, from configuration: the same wiring for the program and its tests.</summary>
internal static class RagServices
{
    /// <summary>
    /// Adds AiEng's chat and embedding models from the <c>AiEng</c> section (offline responder and local MiniLM when
    /// nothing is configured; OpenAI-compatible endpoints or Ollama when configured), with embeddings cached on disk
    /// under <see cref="RagPaths.EmbeddingCacheDirectory"/>, and retrieval over a SQLite file at
    /// <see cref="RagPaths.DatabasePath"/>: the registered <see cref="DocumentIngestor"/> fills it and the registered hybrid
    /// <see cref="IRetriever"/> searches it. The sample adds a <see cref="RecordingRetriever"/> over that retriever, to show
    /// what the model was given.
    /// </summary>
    public static IServiceCollection AddRagSample(this IServiceCollection services, IConfiguration configuration, RagPaths paths)
    {
        Directory.CreateDirectory(paths.StoreDirectory);
        services.AddAiEng(configuration)
            .AddOnnx()
            .AddOpenAI()
            .AddOllama()
            .UseEmbeddingDiskCache(paths.EmbeddingCacheDirectory)
            .AddSqliteVectorStore(paths.DatabasePath)
            .AddRetrieval(options =>
            {
                // AiEng:Retrieval: hybrid; chunks of 200 of the embedding model's own tokens (MiniLM word pieces, within
                // its 254), 32 of overlap; chunks embedded as documents, questions as queries. The loader adds a
                // topic to every document (TopicDocumentLoader); declared filterable, it is written to the chunks' tags, so a
                // question can be asked of one topic (--topic).
                // The SQLite store keeps the BM25 keyword index in the same file, written with the chunks: the hybrid
                // retriever's keyword side runs in the store, so a restart rebuilds nothing and chunks ingested by another
                // process are found at once (docs/retrieval.md, "The keyword index across writes, processes and restarts").
                if (!options.FilterableFields.Contains(TopicDocumentLoader.TopicKey))
                {
                    options.FilterableFields.Add(TopicDocumentLoader.TopicKey);
                }
            });

        // Another local model is configuration only, for example bge-small-en-v1.5 exported to ONNX, which pools the [CLS]
        // token, reads 512 tokens and wants an instruction before queries (none before documents):
        //   AiEng__Embeddings__Model=bge-small-en-v1.5
        //   AiEng__Embeddings__Settings__ModelPath=/models/bge-small-en-v1.5/model.onnx
        //   AiEng__Embeddings__Settings__VocabularyPath=/models/bge-small-en-v1.5/vocab.txt
        //   AiEng__Embeddings__Settings__MaxSequenceLength=512
        //   AiEng__Embeddings__Settings__Pooling=Cls
        //   AiEng__Embeddings__Settings__QueryPrefix="Represent this sentence for searching relevant passages: "
        // or e5-small-v2: mean pooling (the default), QueryPrefix "query: " and DocumentPrefix "passage: ". Chunks are then
        // counted in the new model's word pieces and fit its window less its document prefix, with no code change.
        // The collection below is named after the model, so the new model gets a new index. See docs/embeddings.md.

        // One collection per embedding model unless AiEng:Retrieval:Collection names one: vectors of different models cannot
        // be compared, and a store refuses to reopen a collection with other dimensions.
        services.AddOptions<RetrievalServiceOptions>()
            .Configure<IEmbeddingGenerator<string, Embedding<float>>>((options, embeddings) =>
            {
                if (options.Collection == RetrievalServiceOptions.DefaultCollection)
                {
                    var metadata = embeddings.GetService<EmbeddingGeneratorMetadata>();
                    options.Collection = CollectionName(metadata?.DefaultModelId, metadata?.DefaultModelDimensions ?? options.Dimensions);
                }
            });
        services.AddSingleton(provider => new RecordingRetriever(provider.GetRequiredService<IRetriever>()));
        return services;
    }

    private static string CollectionName(string? modelId, int? dimensions)
    {
        var name = new StringBuilder("docs_");
        foreach (char c in modelId ?? "model")
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return dimensions is int known ? name.Append('_').Append(known.ToString(CultureInfo.InvariantCulture)).ToString() : name.ToString();
    }
}
