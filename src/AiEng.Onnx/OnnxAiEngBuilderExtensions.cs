using AiEng.Onnx;
using AiEng.Shared;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the <c>Onnx</c> provider (local embeddings) to AiEng.</summary>
public static class OnnxAiEngBuilderExtensions
{
    /// <summary>
    /// Registers the <c>Onnx</c> provider, which serves embedding models locally with <see cref="OnnxEmbeddingGenerator"/>:
    /// set <c>AiEng:Embeddings:Provider</c> to <c>Onnx</c> to use it. With no settings it runs the embedded
    /// all-MiniLM-L6-v2; settings <c>AiEng:Embeddings:Settings:ModelPath</c> and <c>VocabularyPath</c> select your own
    /// sentence-transformer, <c>Pooling</c>, <c>Normalize</c>, <c>QueryPrefix</c> and <c>DocumentPrefix</c> match it to the
    /// model (bge: CLS pooling and a query instruction; e5: <c>query: </c> and <c>passage: </c>), <c>IntraOpThreads</c>,
    /// <c>BatchSize</c> and <c>MaxSequenceLength</c> tune it (see <see cref="OnnxEmbeddingGeneratorOptions"/>).
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddOnnx(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        return builder.AddProvider(new OnnxModelProvider());
    }
}
