using System.Diagnostics;

namespace AiEng.Shared;

/// <summary>
/// The <see cref="ActivitySource"/> named <c>AiEng</c> and the span and attribute names AiEng's packages use (compiled into
/// each package that emits spans as an internal type, so that one <c>AddSource("AiEng")</c> collects them all).
/// </summary>
/// <remarks>
/// Attribute names follow the OpenTelemetry GenAI semantic conventions where one applies (<c>gen_ai.operation.name</c>
/// with the well-known value <c>retrieval</c>, <c>gen_ai.data_source.id</c>, <c>gen_ai.request.model</c>,
/// <c>gen_ai.usage.input_tokens</c>, <c>gen_ai.evaluation.*</c>, <c>error.type</c>); the others are AiEng's, prefixed
/// <c>aieng.</c>. No attribute carries prompt, query or document text, except <c>aieng.retrieval.query</c> when the application opts in (<c>RetrievalOptions.EnableSensitiveData</c>). docs/observability.md lists every span and attribute.
/// </remarks>
internal static class AiEngTelemetry
{
    /// <summary>The name of the activity source (and of the meter): <c>AiEng</c>.</summary>
    public const string SourceName = "AiEng";

    // Span names.
    public const string IngestionRun = "aieng.ingestion.run";
    public const string IngestionBatch = "aieng.ingestion.batch";
    public const string RetrievalKeyword = "aieng.retrieval.keyword";
    public const string RetrievalDense = "aieng.retrieval.dense";
    public const string RetrievalFusion = "aieng.retrieval.fusion";
    public const string RetrievalRerank = "aieng.retrieval.rerank";
    public const string RetrievalTwoStage = "aieng.retrieval.two_stage";
    public const string RetrievalQueryTransformation = "aieng.retrieval.query_transformation";
    public const string GroundedGeneration = "aieng.generation.grounded";
    public const string EvaluationRun = "aieng.evaluation.run";
    public const string EvaluationCase = "aieng.evaluation.case";
    public const string EvaluationMetric = "aieng.evaluation.metric";

    // OpenTelemetry GenAI and general attributes.
    public const string OperationName = "gen_ai.operation.name";
    public const string DataSourceId = "gen_ai.data_source.id";
    public const string RequestModel = "gen_ai.request.model";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string EvaluationName = "gen_ai.evaluation.name";
    public const string EvaluationScoreValue = "gen_ai.evaluation.score.value";
    public const string EvaluationScoreLabel = "gen_ai.evaluation.score.label";
    public const string EvaluationResultEvent = "gen_ai.evaluation.result";
    public const string ErrorType = "error.type";

    // Well-known values of gen_ai.operation.name.
    public const string RetrievalOperation = "retrieval";
    public const string EmbeddingsOperation = "embeddings";

    // AiEng's attributes.
    public const string RetrievalTopK = "aieng.retrieval.top_k";
    public const string RetrievalResults = "aieng.retrieval.results";
    public const string RetrievalFiltered = "aieng.retrieval.filtered";
    public const string RetrievalIndexedChunks = "aieng.retrieval.indexed_chunks";
    public const string FusionMethod = "aieng.retrieval.fusion.method";
    public const string FusionSources = "aieng.retrieval.fusion.sources";
    public const string CandidateDepth = "aieng.retrieval.candidate_depth";
    public const string RerankMethod = "aieng.rerank.method";
    public const string RerankCandidates = "aieng.rerank.candidates";
    public const string RerankJudged = "aieng.rerank.judged";
    public const string RerankUnscored = "aieng.rerank.unscored";
    public const string QueryTransformationMethod = "aieng.query_transformation.method";
    public const string QueryTransformationQueries = "aieng.query_transformation.queries";
    public const string RetrievalQueryMethod = "aieng.retrieval.query.method";
    public const string RetrievalQueryRewritten = "aieng.retrieval.query.rewritten";
    public const string RetrievalQueryHistory = "aieng.retrieval.query.history_messages";
    public const string RetrievalQuery = "aieng.retrieval.query";   // the query text: only with RetrievalOptions.EnableSensitiveData
    public const string IngestionAdded = "aieng.ingestion.documents.added";
    public const string IngestionUpdated = "aieng.ingestion.documents.updated";
    public const string IngestionUnchanged = "aieng.ingestion.documents.unchanged";
    public const string IngestionDeleted = "aieng.ingestion.documents.deleted";
    public const string IngestionSkipped = "aieng.ingestion.documents.skipped";
    public const string IngestionChunks = "aieng.ingestion.chunks";
    public const string IngestionIssues = "aieng.ingestion.issues";
    public const string IngestionBatchChunks = "aieng.ingestion.batch.chunks";
    public const string ContextChunks = "aieng.context.chunks";
    public const string ContextDropped = "aieng.context.dropped";
    public const string ContextTokens = "aieng.context.tokens";
    public const string Citations = "aieng.citations";
    public const string Grounded = "aieng.generation.grounded";
    public const string EvaluationRunName = "aieng.evaluation.run.name";
    public const string EvaluationDataset = "aieng.evaluation.dataset";
    public const string EvaluationCases = "aieng.evaluation.cases";
    public const string EvaluationCasesResumed = "aieng.evaluation.cases.resumed";
    public const string EvaluationCasesFailed = "aieng.evaluation.cases.failed";
    public const string EvaluationCaseId = "aieng.evaluation.case.id";
    public const string EvaluationEvaluator = "aieng.evaluation.evaluator";
    public const string EvaluationMetrics = "aieng.evaluation.metrics";

    /// <summary>Gets the activity source <c>AiEng</c> of this package.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts an internal span, or returns <see langword="null"/> when nobody listens.</summary>
    public static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);

    /// <summary>Marks <paramref name="activity"/> failed with the exception's type in <c>error.type</c>; returns <see langword="false"/> so that it can run in an exception filter.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag(ErrorType, exception.GetType().FullName);
        }

        return false;
    }
}
