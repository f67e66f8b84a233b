using System.Numerics.Tensors;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Cosine similarity between the embeddings of the response and of the reference, through any
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. A failing embedding call becomes an error diagnostic.
/// </summary>
public sealed class EmbeddingSimilarityEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Embedding Similarity</c>.</summary>
    public const string MetricName = "Embedding Similarity";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    /// <summary>Initializes a new instance of the <see cref="EmbeddingSimilarityEvaluator"/> class.</summary>
    /// <param name="generator">The embedding generator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    public EmbeddingSimilarityEvaluator(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        _generator = Throw.IfNull(generator);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(modelResponse);
        var reference = EvaluatorSupport.Find<ReferenceContext>(additionalContext);
        if (reference is null)
        {
            return new EvaluationResult(EvaluatorSupport.MissingReference(MetricName));
        }

        try
        {
            var embeddings = await _generator.GenerateAsync([modelResponse.Text, reference.Reference], cancellationToken: cancellationToken).ConfigureAwait(false);
            return new EvaluationResult(EvaluatorSupport.Scored(MetricName, Cosine(embeddings[0].Vector.Span, embeddings[1].Vector.Span)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, $"The embedding call failed: {ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>Cosine similarity; 0 when either vector is all zeros (instead of NaN).</summary>
    internal static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new InvalidOperationException($"The embeddings have different dimensions ({x.Length} and {y.Length}).");
        }

        float norms = TensorPrimitives.Norm(x) * TensorPrimitives.Norm(y);
        return norms == 0 ? 0 : TensorPrimitives.Dot(x, y) / norms;
    }
}
