using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a cascade of models to a chat pipeline.</summary>
public static class CascadeChatClientBuilderExtensions
{
    /// <summary>
    /// Sends each request to the model of this pipeline first, and escalates it to the next model of
    /// <see cref="CascadeOptions.Models"/> (cheapest first) while an acceptance check rejects the answer: a refusal
    /// (<see cref="CascadeOptions.RejectRefusals"/>), a predicate (<see cref="CascadeOptions.AcceptWhen(Func{CascadeAttempt, bool}, string)"/>),
    /// structured output that does not validate (<c>RequireValidJson&lt;T&gt;</c> in AiEng.Prompts) or an evaluator's score
    /// under a threshold (<c>RequireScore</c> in AiEng.Evaluation). The last model's answer is returned unchecked.
    /// </summary>
    /// <param name="builder">The builder of the first (cheapest) model's pipeline.</param>
    /// <param name="configure">Adds the models to escalate to and the checks.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid (the message names each problem).</exception>
    /// <remarks>
    /// <para>
    /// The response is the accepted model's, with <see cref="CascadeProperties.Model"/>, <see cref="CascadeProperties.Step"/>
    /// and <see cref="CascadeProperties.Rejections"/> in its additional properties (its <see cref="ChatResponse.ModelId"/> is the
    /// provider's). Every model is called through its own pipeline, so each call is recorded by that pipeline's usage tracking,
    /// marked with its step (<see cref="UsageRecord.CascadeStep"/>; <see cref="UsageTotals.Escalations"/> counts the escalations).
    /// Place the cascade outside usage tracking (with AiEng, <c>AiEngBuilder.ConfigureChatPipeline("small", b =&gt; b.UseCascade(...))</c>),
    /// and do not track usage outside it, or the answering call would be counted twice.
    /// </para>
    /// <para>
    /// Models given by name are resolved, when first escalated to, as keyed <see cref="IChatClient"/>s of the pipeline's services
    /// (AiEng serves its named models so). An <see cref="ILoggerFactory"/> is taken from the services when present.
    /// </para>
    /// </remarks>
    public static ChatClientBuilder UseCascade(this ChatClientBuilder builder, Action<CascadeOptions> configure)
    {
        Throw.IfNull(builder);
        Throw.IfNull(configure);
        var options = new CascadeOptions();
        configure(options);
        CascadeOptions settings = options.ValidateAndClone(nameof(configure));
        return builder.Use((inner, services) =>
            new CascadeChatClient(inner, settings, services, services.GetService<ILoggerFactory>()?.CreateLogger("AiEng.Cascade")));
    }
}
