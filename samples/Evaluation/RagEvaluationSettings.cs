namespace AiEng.Samples.Evaluation;

/// <summary>What one run of the sample evaluates and where it writes.</summary>
public sealed class RagEvaluationSettings
{
    /// <summary>The folder of Markdown documents to ingest (the repository's <c>docs/</c>).</summary>
    public required string DocsDirectory { get; init; }

    /// <summary>The question set (JSON lines, <see cref="AiEng.Evaluation.EvaluationDataset"/> format).</summary>
    public required string QuestionsPath { get; init; }

    /// <summary>The folder for this run's <c>cases.jsonl</c> and reports.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary><c>hybrid</c> (BM25 + dense, fused as <c>AddRetrieval</c> ships), <c>dense</c> or <c>keyword</c>.</summary>
    public string Retriever { get; init; } = "hybrid";

    /// <summary>Chunks retrieved per question.</summary>
    public int Top { get; init; } = 5;

    /// <summary>The run's name; defaults to <c>{retriever}-top{top}</c>.</summary>
    public string? RunName { get; init; }

    /// <summary>A previous run's folder or <c>report.json</c> to compare with.</summary>
    public string? BaselinePath { get; init; }

    /// <summary>Apply the gate and return a non-zero exit code when it fails.</summary>
    public bool Gate { get; init; }

    /// <summary>Gate minimums (<c>Metric=value</c>); empty for <see cref="RagEvaluation.DefaultMinimums"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Minimums { get; init; } = [];

    /// <summary>Keep the finished cases of an interrupted run with the same output folder.</summary>
    public bool Resume { get; init; }

    /// <summary>A folder for the judge/model response cache; <see langword="null"/> for none.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>A folder for the embedding disk cache; <see langword="null"/> for none.</summary>
    public string? EmbeddingCacheDirectory { get; init; }

    /// <summary>The effective run name.</summary>
    public string Name => RunName ?? $"{Retriever}-top{Top}";
}
