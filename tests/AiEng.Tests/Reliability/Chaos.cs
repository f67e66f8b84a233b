using System.Net;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace AiEng.Tests.Reliability;

/// <summary>
/// Polly's chaos strategies as a test provider's faults: at the injection rate a call fails with a transient 503 before
/// it reaches the model (so it is not paid), at the same rate it is delayed, and, when outcomes are given, at the same rate
/// the model's answer is replaced by a wrong one (an empty reply, a reply stopped by the content filter, a plausible but
/// wrong reply, a reply cut at the token limit, a broken embedding result). Seeded, so a failing soak can be replayed.
/// </summary>
internal sealed class Chaos(double rate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private int _faults;
    private int _outcomes;

    public double Rate => rate;

    /// <summary>Gets the faults injected (503s and store failures).</summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>Gets the wrong outcomes injected in place of the model's answer.</summary>
    public int Outcomes => Volatile.Read(ref _outcomes);

    /// <summary>A pipeline of latency, faults and, when <paramref name="outcomes"/> are given, one of them picked at random in place of the result.</summary>
    public ResiliencePipeline<T> Pipeline<T>(params Func<T>[] outcomes) =>
        Pipeline<T>([.. outcomes.Select(static outcome => (Func<ResilienceContext, T>)(_ => outcome()))]);

    /// <summary>
    /// A pipeline of latency, faults and one of <paramref name="outcomes"/> picked at random in place of the result, each
    /// built from the call's context (which can carry the call's input, as <see cref="ChaosEmbeddingGenerator"/>'s does).
    /// </summary>
    public ResiliencePipeline<T> Pipeline<T>(IReadOnlyList<Func<ResilienceContext, T>> outcomes)
    {
        var builder = new ResiliencePipelineBuilder<T>()
            .AddChaosLatency(new ChaosLatencyStrategyOptions { InjectionRate = rate, Latency = TimeSpan.FromMilliseconds(2), Randomizer = Next })
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = rate,
                Randomizer = Next,
                FaultGenerator = new FaultGenerator().AddException(() =>
                {
                    Interlocked.Increment(ref _faults);
                    return new HttpRequestException("chaos: the service is unavailable", null, HttpStatusCode.ServiceUnavailable);
                }),
            });
        if (outcomes.Count > 0)
        {
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<T>
            {
                InjectionRate = rate,
                Randomizer = Next,
                OutcomeGenerator = arguments =>
                {
                    Interlocked.Increment(ref _outcomes);
                    var outcome = outcomes[(int)(Next() * outcomes.Count)];
                    return ValueTask.FromResult<Outcome<T>?>(Outcome.FromResult(outcome(arguments.Context)));
                },
            });
        }

        return builder.Build();
    }

    /// <summary>Throws a store fault at the injection rate (for a fake store's write hook).</summary>
    public void MaybeFail(string what)
    {
        if (Next() < rate)
        {
            Interlocked.Increment(ref _faults);
            throw new IOException($"chaos: {what} failed");
        }
    }

    private double Next()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }
}

/// <summary>The wrong answers a chaos outcome puts in place of the model's: each one paid, as a real provider's would be.</summary>
internal static class ChaosOutcomes
{
    /// <summary>The usage of every paid call in the soaks: 10 input and 5 output tokens.</summary>
    public static UsageDetails Usage() => new() { InputTokenCount = 10, OutputTokenCount = 5 };

    /// <summary>A reply with no text that says it finished normally.</summary>
    public static ChatResponse EmptyAnswer() => new(new ChatMessage(ChatRole.Assistant, string.Empty)) { ModelId = "m", FinishReason = ChatFinishReason.Stop, Usage = Usage() };

    /// <summary>A reply the provider's content filter stopped before any text.</summary>
    public static ChatResponse FilteredAnswer() => new(new ChatMessage(ChatRole.Assistant, [])) { ModelId = "m", FinishReason = ChatFinishReason.ContentFilter, Usage = Usage() };

    /// <summary>The text of <see cref="WrongAnswer"/>: a finished answer that is plausible and wrong.</summary>
    public const string WrongAnswerText = "answer to another question";

    /// <summary>The text of <see cref="TruncatedAnswer"/>: the start of an answer.</summary>
    public const string TruncatedAnswerText = "answer t";

    /// <summary>A reply that looks like any other (finished, with text) but answers something else: no runner can tell it from a real answer.</summary>
    public static ChatResponse WrongAnswer() => new(new ChatMessage(ChatRole.Assistant, WrongAnswerText)) { ModelId = "m", FinishReason = ChatFinishReason.Stop, Usage = Usage() };

    /// <summary>A reply cut at the output-token limit: text, but only its start.</summary>
    public static ChatResponse TruncatedAnswer() => new(new ChatMessage(ChatRole.Assistant, TruncatedAnswerText)) { ModelId = "m", FinishReason = ChatFinishReason.Length, Usage = Usage() };

    /// <summary>An embedding result with no embedding at all, whatever the number of texts; the provider still charged one token for it.</summary>
    public static GeneratedEmbeddings<Embedding<float>> NoEmbeddings() => new() { Usage = new UsageDetails { InputTokenCount = 1 } };

    /// <summary>The text whose embedding <see cref="LookAlikeEmbeddings"/> gives every text of the call.</summary>
    public const string LookAlikeText = "a text about something else";

    /// <summary>
    /// An embedding result shaped like the real one for <paramref name="texts"/> (one embedding per text, of
    /// <paramref name="dimensions"/> dimensions) but made with <paramref name="vector"/> for each; one token charged.
    /// </summary>
    public static GeneratedEmbeddings<Embedding<float>> Embeddings(string[] texts, Func<int, float[]> vector) =>
        new(texts.Select((_, i) => new Embedding<float>(vector(i)))) { Usage = new UsageDetails { InputTokenCount = 1 } };

    /// <summary>One embedding per text but the last (a result one short); one token charged.</summary>
    public static GeneratedEmbeddings<Embedding<float>> MissingEmbedding(ResilienceContext context, int dimensions)
    {
        string[] texts = context.Properties.GetValue(ChaosEmbeddingGenerator.Texts, []);
        return Embeddings(texts[..^1], _ => TestVectors.HashedBagOfWords(LookAlikeText, dimensions));
    }

    /// <summary>One embedding per text, of the right size, whose first holds NaN.</summary>
    public static GeneratedEmbeddings<Embedding<float>> NaNEmbeddings(ResilienceContext context, int dimensions) =>
        Embeddings(context.Properties.GetValue(ChaosEmbeddingGenerator.Texts, []), i =>
        {
            float[] vector = TestVectors.HashedBagOfWords(LookAlikeText, dimensions);
            vector[dimensions / 2] = i == 0 ? float.NaN : vector[dimensions / 2];
            return vector;
        });

    /// <summary>One embedding per text, each one dimension short (another model's size).</summary>
    public static GeneratedEmbeddings<Embedding<float>> WrongSizeEmbeddings(ResilienceContext context, int dimensions) =>
        Embeddings(context.Properties.GetValue(ChaosEmbeddingGenerator.Texts, []), _ => TestVectors.HashedBagOfWords(LookAlikeText, dimensions - 1));

    /// <summary>
    /// One embedding per text, of the right size and finite, but each the embedding of <see cref="LookAlikeText"/>: no
    /// ingestor can tell it from a real result.
    /// </summary>
    public static GeneratedEmbeddings<Embedding<float>> LookAlikeEmbeddings(ResilienceContext context, int dimensions) =>
        Embeddings(context.Properties.GetValue(ChaosEmbeddingGenerator.Texts, []), _ => TestVectors.HashedBagOfWords(LookAlikeText, dimensions));
}

/// <summary>
/// An embedding model behind chaos: faults and latency before the call reaches it, wrong results in place of its own. The
/// texts of the call are in the resilience context's <see cref="Texts"/> property, for outcomes shaped like the real result.
/// </summary>
internal sealed class ChaosEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ResiliencePipeline<GeneratedEmbeddings<Embedding<float>>> chaos)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    /// <summary>The texts of the call being made.</summary>
    public static readonly ResiliencePropertyKey<string[]> Texts = new("chaos.texts");

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        string[] texts = [.. values];
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(Texts, texts);
            return await chaos.ExecuteAsync(
                async (context, state) => await state.Generator.BaseGenerateAsync(state.Texts, state.Options, context.CancellationToken).ConfigureAwait(false),
                context,
                (Generator: this, Texts: texts, Options: options)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<GeneratedEmbeddings<Embedding<float>>> BaseGenerateAsync(string[] texts, EmbeddingGenerationOptions? options, CancellationToken cancellationToken) =>
        base.GenerateAsync(texts, options, cancellationToken);
}

/// <summary>A chat model behind chaos: faults and latency before the call reaches it, wrong answers in place of its own.</summary>
internal sealed class ChaosChatClient(IChatClient inner, ResiliencePipeline<ChatResponse> chaos) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        chaos.ExecuteAsync(async token => await base.GetResponseAsync(messages, options, token).ConfigureAwait(false), cancellationToken).AsTask();
}
