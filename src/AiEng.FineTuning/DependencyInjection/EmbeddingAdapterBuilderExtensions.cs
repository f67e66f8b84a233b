using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Shared;

namespace Microsoft.Extensions.AI;

/// <summary>Applies a trained <see cref="EmbeddingAdapter"/> to the query embeddings of an embedding generator pipeline.</summary>
public static class EmbeddingAdapterBuilderExtensions
{
    /// <summary>
    /// Transforms the embeddings of calls marked as queries (<see cref="EmbeddingInputKind.Query"/>, as AiEng's retrievers mark
    /// them) with <paramref name="adapter"/>; calls marked as documents, or not marked, pass through unchanged, so the corpus
    /// need not be embedded again.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="adapter">The trained adapter; <c>GetService&lt;EmbeddingAdapter&gt;()</c> on the pipeline returns it.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="adapter"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// When the pipeline is built: the inner generator is of another model (or reports none) than the one the adapter was
    /// trained for; the message names both.
    /// </exception>
    /// <remarks>
    /// Add it before (outside) a cache such as <c>UseDiskCache</c>, so that the cache holds the base model's vectors and a
    /// retrained adapter takes effect at once.
    /// </remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingAdapter(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, EmbeddingAdapter adapter)
    {
        Throw.IfNull(builder);
        Throw.IfNull(adapter);
        return builder.Use(inner =>
        {
            adapter.EnsureMatches(inner.GetService<EmbeddingGeneratorMetadata>());
            return new AdaptingEmbeddingGenerator(inner, adapter);
        });
    }

    /// <summary>
    /// Loads the adapter saved in <paramref name="path"/> (<see cref="EmbeddingAdapter.Save(string)"/>) and applies it to query
    /// embeddings, as <see cref="UseEmbeddingAdapter(EmbeddingGeneratorBuilder{string, Embedding{float}}, EmbeddingAdapter)"/> does.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="path">The adapter file.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid adapter file.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: the adapter belongs to another model than the inner generator's.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingAdapter(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, string path)
    {
        Throw.IfNull(builder);
        return builder.UseEmbeddingAdapter(EmbeddingAdapter.Load(path));
    }
}
