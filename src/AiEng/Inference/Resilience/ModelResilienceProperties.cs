using Microsoft.Extensions.AI;
using Polly;

namespace AiEng.Inference;

/// <summary>
/// The keys under which the resilience middleware puts a call's request in the <see cref="ResilienceContext"/> of a typed
/// pipeline (<see cref="ResiliencePipeline{T}"/> of <see cref="ChatResponse"/> or of
/// <see cref="GeneratedEmbeddings{TEmbedding}"/>), so that a fallback or a hedged attempt can send it to another model.
/// </summary>
/// <remarks>
/// <para>
/// Polly's fallback action and hedging action generator see only the <see cref="ResilienceContext"/>, not the call's
/// arguments; read them with <c>args.Context.Properties.GetValue(ModelResilienceProperties.ChatMessages, [])</c> (the
/// hedging generator: <c>args.ActionContext</c>). They are set only for calls that run through a typed pipeline, and the
/// values are the caller's own objects: read them, do not change them.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// FallbackAction = async args => Outcome.FromResult(await backup.GetResponseAsync(
///     args.Context.Properties.GetValue(ModelResilienceProperties.ChatMessages, []),
///     args.Context.Properties.GetValue(ModelResilienceProperties.ChatOptions, null),
///     args.Context.CancellationToken)),
/// </code>
/// </example>
public static class ModelResilienceProperties
{
    /// <summary>Gets the key of the messages of a chat call.</summary>
    public static ResiliencePropertyKey<IEnumerable<ChatMessage>> ChatMessages { get; } = new("AiEng.Chat.Messages");

    /// <summary>Gets the key of the options of a chat call (<see langword="null"/> when the caller gave none).</summary>
    public static ResiliencePropertyKey<ChatOptions?> ChatOptions { get; } = new("AiEng.Chat.Options");

    /// <summary>Gets the key of the values of an embedding call, set when the generator embeds strings (as AiEng's embedding models do).</summary>
    public static ResiliencePropertyKey<IEnumerable<string>> EmbeddingValues { get; } = new("AiEng.Embeddings.Values");

    /// <summary>Gets the key of the options of an embedding call (<see langword="null"/> when the caller gave none).</summary>
    public static ResiliencePropertyKey<EmbeddingGenerationOptions?> EmbeddingOptions { get; } = new("AiEng.Embeddings.Options");
}
