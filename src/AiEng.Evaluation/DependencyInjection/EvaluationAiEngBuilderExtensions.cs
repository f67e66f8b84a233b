using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AiEng's evaluation services: an <see cref="EvaluationRunnerFactory"/> and an <see cref="EvaluationRunner"/>.</summary>
public static class EvaluationAiEngBuilderExtensions
{
    /// <summary>
    /// Registers evaluation configured from <c>AiEng:Evaluation</c> (bound by <c>AddAiEng(configuration)</c>) and by
    /// <paramref name="configure"/>; see <see cref="AddEvaluation(AiEngBuilder)"/>.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="configure">Sets or overrides the options after configuration.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static AiEngBuilder AddEvaluation(this AiEngBuilder builder, Action<EvaluationServiceOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        builder.AddEvaluation();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers evaluation configured from <c>AiEng:Evaluation</c> (bound by <c>AddAiEng(configuration)</c>): runners whose
    /// LLM judges use the chat model named by <c>AiEng:Evaluation:JudgeModel</c> (the default chat model when unset). The
    /// options are checked when the host starts.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// Both services are singletons, added only when the application has not registered its own, and created when first
    /// resolved:
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// <see cref="EvaluationRunnerFactory"/>: creates runners for the evaluators of each run, with the options of
    /// <c>AiEng:Evaluation</c>, the judge, the registered usage ledger (each case's model calls and cost) and the registered
    /// <see cref="TimeProvider"/> (else the system clock). Its <see cref="EvaluationRunnerFactory.Judge"/> is
    /// <see langword="null"/> when the judge model is the offline extractive responder, which is not a language model: add
    /// the LLM judges only when it is set.
    /// </description></item>
    /// <item><description>
    /// <see cref="EvaluationRunner"/>: the factory's runner for every <see cref="IEvaluator"/> registered in the services; its
    /// resolution throws <see cref="InvalidOperationException"/> when none is.
    /// </description></item>
    /// </list>
    /// <para>
    /// Failures: a judge model that is not a configured chat model, and other invalid options, fail start-up with an
    /// <see cref="OptionsValidationException"/> naming the key (for example <c>AiEng:Evaluation:JudgeModel</c>), or the first
    /// resolution of these services when the host is not started.
    /// </para>
    /// </remarks>
    public static AiEngBuilder AddEvaluation(this AiEngBuilder builder)
    {
        Throw.IfNull(builder);
        IServiceCollection services = builder.Services;

        // Bound from AiEng:Evaluation once with the standard binder, data annotations checked at start-up (every bad key named),
        // then the judge model against the chat models AiEng serves.
        builder.AddOptions<EvaluationServiceOptions, EvaluationServiceOptionsAnnotationValidator>("Evaluation");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EvaluationServiceOptions>, EvaluationServiceOptionsValidator>());
        services.TryAddSingleton(CreateFactory);
        services.TryAddSingleton(provider =>
        {
            IEvaluator[] evaluators = provider.GetServices<IEvaluator>().ToArray();
            if (evaluators.Length == 0)
            {
                throw new InvalidOperationException(
                    $"No {nameof(IEvaluator)} is registered, so there is no {nameof(EvaluationRunner)} to resolve: register evaluators (for example services.AddSingleton<IEvaluator>(new TokenF1Evaluator())), or call {nameof(EvaluationRunnerFactory)}.{nameof(EvaluationRunnerFactory.Create)} with the evaluators of the run.");
            }

            return provider.GetRequiredService<EvaluationRunnerFactory>().Create(evaluators);
        });
        return builder;
    }

    private static EvaluationRunnerFactory CreateFactory(IServiceProvider provider)
    {
        EvaluationServiceOptions options = provider.GetRequiredService<IOptions<EvaluationServiceOptions>>().Value;
        // The options' validation (on start-up, or here at the latest) has checked that a named judge model is registered.
        IChatClient judge = string.IsNullOrEmpty(options.JudgeModel)
            ? provider.GetRequiredService<IChatClient>()
            : provider.GetRequiredKeyedService<IChatClient>(EvaluationServiceOptionsValidator.KeyOf(provider.GetRequiredService<AiEngBuilder>(), options.JudgeModel));
        return new EvaluationRunnerFactory(options, judge, provider.GetService<IUsageLedger>(), provider.GetService<TimeProvider>(), provider.GetService<ILoggerFactory>());
    }
}
