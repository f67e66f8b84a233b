using AiEng.Evaluation;
using AiEng.Testing;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Embedding;

public sealed class EmbeddingSimilarityEvaluatorTests
{
    [Fact]
    public async Task Reports_the_cosine_of_response_and_reference_embeddings()
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => text == "answer" ? [1f, 0f] : [1f, 1f]);
        double similarity = await EvalCall.ValueAsync(new EmbeddingSimilarityEvaluator(generator), "answer", EmbeddingSimilarityEvaluator.MetricName, new ReferenceContext("reference"));
        Assert.Equal(1 / Math.Sqrt(2), similarity, 6);
    }

    [Fact]
    public async Task A_failing_embedding_call_becomes_a_diagnostic()
    {
        var generator = new TestEmbeddingGenerator { GenerateAsyncCallback = (_, _, _) => throw new HttpRequestException("boom") };
        var metric = await EvalCall.ScoreAsync(new EmbeddingSimilarityEvaluator(generator), "answer", EmbeddingSimilarityEvaluator.MetricName, new ReferenceContext("reference"));
        Assert.Null(metric.Value);
        Assert.Contains(metric.Diagnostics!, d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Zero_vectors_score_zero_instead_of_nan()
    {
        var generator = TestEmbeddingGenerator.FromFunction(_ => [0f, 0f]);
        Assert.Equal(0, await EvalCall.ValueAsync(new EmbeddingSimilarityEvaluator(generator), "a", EmbeddingSimilarityEvaluator.MetricName, new ReferenceContext("b")));
    }
}
