using AiEng.Evaluation;
using AiEng.Prompts;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Tests.Evaluation.Judges;

/// <summary>Every judge metric cites the judge prompts it was produced with, by id and content hash.</summary>
public sealed class JudgePromptsTests
{
    private static readonly GroundingContext Contexts = new(["Paris is the capital of France.", "France is in Europe."]);

    // The prompt files as they are in the source tree, loaded independently of the embedded copies the judges use.
    private static readonly Lazy<PromptRegistry> SourcePrompts = new(() => PromptRegistry.FromDirectory(
        Path.Combine(RepositoryRoot(), "src", "AiEng.Evaluation", "Judges", "Prompts")));

    public static TheoryData<string> Judges => ["score", "faithfulness", "answer-relevancy", "context-precision", "context-recall"];

    [Theory]
    [MemberData(nameof(Judges))]
    public async Task A_scored_metric_cites_the_judge_prompts_with_the_content_hash_of_their_files(string judgeName)
    {
        var (evaluator, metricName, prompts) = Create(judgeName);
        var (judge, _) = JudgeFakes.Replying(Reply);

        var result = await evaluator.EvaluateAsync(Question, Answer, judge, [Contexts, new ReferenceContext("Paris")]);

        var metric = result.Get<NumericMetric>(metricName);
        Assert.NotNull(metric.Value);
        Assert.Equal(Expected(prompts), metric.Metadata![JudgePrompts.MetadataKey]);
    }

    [Fact]
    public async Task An_unscored_metric_cites_its_prompt_too_so_failures_are_traceable()
    {
        var (judge, _) = JudgeFakes.Replying(_ => "not json at all");

        var result = await LlmJudgeEvaluator.Relevance().EvaluateAsync(Question, Answer, judge);

        var metric = result.Get<NumericMetric>("Relevance");
        Assert.Null(metric.Value);
        Assert.Equal(Expected("score"), metric.Metadata![JudgePrompts.MetadataKey]);
    }

    [Fact]
    public void A_metric_score_keeps_the_metadata_of_the_metric()
    {
        var metric = new NumericMetric("Relevance", 4);
        metric.AddOrUpdateMetadata(JudgePrompts.MetadataKey, "score@1.0.0 sha256:abc");

        var score = MetricScore.From(metric);

        Assert.Equal("score@1.0.0 sha256:abc", score.Metadata[JudgePrompts.MetadataKey]);
        Assert.Empty(MetricScore.From(new NumericMetric("Plain", 1)).Metadata);
    }

    private static IEnumerable<ChatMessage> Question => [new ChatMessage(ChatRole.User, "What is the capital of France?")];

    private static ChatResponse Answer => new(new ChatMessage(ChatRole.Assistant, "Paris is the capital of France."));

    private static (IEvaluator Evaluator, string MetricName, string[] Prompts) Create(string name) => name switch
    {
        "score" => (LlmJudgeEvaluator.Relevance(), "Relevance", ["score"]),
        "faithfulness" => (new FaithfulnessEvaluator(), FaithfulnessEvaluator.MetricName, ["faithfulness-claims", "faithfulness-verdicts"]),
        "answer-relevancy" => (new AnswerRelevancyEvaluator(TestEmbeddingGenerator.FromFunction(_ => [1f, 0f]), 1), AnswerRelevancyEvaluator.MetricName, ["answer-relevancy"]),
        "context-precision" => (new ContextPrecisionEvaluator(k: 2), "Context Precision@2", ["context-precision"]),
        "context-recall" => (new ContextRecallEvaluator(), ContextRecallEvaluator.MetricName, ["context-recall"]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    // One reply that every judge prompt accepts (each judge reads only its own properties): one claim, one verdict per
    // claim for faithfulness, one per context (two) for context precision.
    private static string Reply(string prompt) =>
        prompt.Contains("atomic factual claims", StringComparison.Ordinal) ? "{\"claims\": [\"Paris is the capital of France.\"]}"
        : prompt.Contains("judge whether each claim", StringComparison.Ordinal) ? "{\"verdicts\": [{\"supported\": true}]}"
        : "{\"score\": 5, \"reasoning\": \"ok\", \"questions\": [\"What is the capital of France?\"], \"noncommittal\": false,"
          + " \"verdicts\": [{\"useful\": true}, {\"useful\": false}], \"statements\": [{\"attributed\": true}]}";

    private static string Expected(params string[] prompts) =>
        string.Join(", ", prompts.Select(name =>
        {
            Assert.True(SourcePrompts.Value.TryGet(name, out IPromptTemplate? template));
            return $"{template.Id.Name}@{template.Id.Version} sha256:{template.Id.ContentHash}";
        }));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AiEng.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No AiEng.sln above {AppContext.BaseDirectory}.");
    }
}
