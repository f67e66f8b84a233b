using System.Text.Json;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// Ragas answer relevancy: the judge writes <c>n</c> questions that the answer would answer
/// (<c>answer-relevancy.prompty</c>); the score is the mean cosine similarity between the embedding of the original
/// question and of each generated question, and 0 when the judge finds the answer noncommittal.
/// </summary>
public sealed class AnswerRelevancyEvaluator : IEvaluator
{
    /// <summary>The metric name: <c>Answer Relevancy</c>.</summary>
    public const string MetricName = "Answer Relevancy";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly int _questions;

    /// <summary>Initializes a new instance of the <see cref="AnswerRelevancyEvaluator"/> class.</summary>
    /// <param name="generator">Embeds the questions.</param>
    /// <param name="questions">How many questions the judge generates; at least 1. Default 3 (as Ragas).</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="questions"/> is less than 1.</exception>
    public AnswerRelevancyEvaluator(IEmbeddingGenerator<string, Embedding<float>> generator, int questions = 3)
    {
        _generator = Throw.IfNull(generator);
        _questions = Throw.IfLessThan(questions, 1);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [MetricName];

    /// <inheritdoc />
    /// <remarks>Every metric returned carries the judge prompt's id and content hash in its metadata under <see cref="JudgePrompts.MetadataKey"/>.</remarks>
    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
        JudgePrompt.Cite(await EvaluateCoreAsync(messages, modelResponse, chatConfiguration, additionalContext, cancellationToken).ConfigureAwait(false), "answer-relevancy");

    private async ValueTask<EvaluationResult> EvaluateCoreAsync(
        IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration,
        IEnumerable<EvaluationContext>? additionalContext, CancellationToken cancellationToken)
    {
        Throw.IfNull(messages);
        Throw.IfNull(modelResponse);
        var (root, items, error) = await JudgeCall.AskForArrayAsync(chatConfiguration, "answer-relevancy", new Dictionary<string, string>
        {
            ["answer"] = modelResponse.Text,
            ["count"] = _questions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "questions", cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, error));
        }

        string[] generated = items.Where(static q => q.ValueKind == JsonValueKind.String).Select(static q => q.GetString()!).Where(static q => q.Length > 0).ToArray();
        if (generated.Length == 0)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, "The judge generated no questions."));
        }

        if (JudgeCall.Verdict(root, "noncommittal") == true)
        {
            return new EvaluationResult(EvaluatorSupport.Scored(MetricName, 0, "The judge found the answer noncommittal."));
        }

        try
        {
            var embeddings = await _generator.GenerateAsync([JudgeCall.Question(messages), .. generated], cancellationToken: cancellationToken).ConfigureAwait(false);
            double mean = embeddings.Skip(1).Average(e => EmbeddingSimilarityEvaluator.Cosine(embeddings[0].Vector.Span, e.Vector.Span));
            return new EvaluationResult(EvaluatorSupport.Scored(MetricName, mean, "Generated questions: " + string.Join(" | ", generated)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new EvaluationResult(EvaluatorSupport.Unscored(MetricName, $"The embedding call failed: {ex.GetType().Name}: {ex.Message}"));
        }
    }
}
