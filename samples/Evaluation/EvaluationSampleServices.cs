using AiEng.Evaluation;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Evaluation;

/// <summary>The sample's services, from configuration and the run's settings: the same wiring for the program and its tests.</summary>
public static class EvaluationSampleServices
{
    /// <summary>
    /// Adds AiEng's models from the <c>AiEng</c> section (the offline responder and local MiniLM when nothing is configured),
    /// retrieval over an in-memory store with the retriever of <see cref="RagEvaluationSettings.Retriever"/>, evaluation
    /// with the run's options, the answer and retrieval evaluators every run applies, and a <see cref="RecordingRetriever"/>
    /// over the registered retriever. A chat client or embedding generator registered before this call is used instead of
    /// the configured one.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="RagEvaluationSettings.Retriever"/> is not a retriever.</exception>
    public static IServiceCollection AddEvaluationSample(this IServiceCollection services, IConfiguration configuration, RagEvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        RetrieverKind retriever = RagEvaluation.ParseRetriever(settings.Retriever);

        AiEngBuilder aiEng = services.AddAiEng(configuration).AddOnnx().AddOpenAI().AddOllama();
        if (settings.EmbeddingCacheDirectory is { } cache)
        {
            aiEng.UseEmbeddingDiskCache(cache);
        }

        aiEng.AddRetrieval(options =>
            {
                options.Retriever = retriever;
                options.ChunkOverlap = 16;   // ChunkSize unset: 200 of the embedding model's own tokens (MiniLM reads 254)
            })
            .AddEvaluation(options =>
            {
                options.RunName = settings.Name;
                options.MaxConcurrency = 4;
                options.OutputDirectory = settings.OutputDirectory;
                options.Resume = settings.Resume;
                options.CacheDirectory = settings.CacheDirectory;
            });

        // The retriever under test, recorded so the retrieval metrics see what the model was given.
        services.AddSingleton(provider => new RecordingRetriever(provider.GetRequiredService<IRetriever>()));

        // The evaluators of every run; RagEvaluation adds the per-question key phrases and, with a judge, the LLM judges.
        services.AddSingleton<IEvaluator, TokenF1Evaluator>();
        services.AddSingleton<IEvaluator, RougeLEvaluator>();
        services.AddSingleton<IEvaluator>(provider => new EmbeddingSimilarityEvaluator(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()));
        services.AddSingleton<IEvaluator>(new RetrievalEvaluator(1, 3, 5));
        return services;
    }
}
