using System.Net;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;

namespace AiEng.Tests.Reliability;

/// <summary>
/// Polly's chaos strategies as a test provider's faults: at the injection rate a call fails with a transient 503 before
/// it reaches the model (so it is not paid), and at the same rate it is delayed. Seeded, so a failing soak can be replayed.
/// </summary>
internal sealed class Chaos(double rate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private int _faults;

    public double Rate => rate;

    public int Faults => Volatile.Read(ref _faults);

    public ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder()
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
        })
        .Build();

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

/// <summary>An embedding model behind chaos: faults and latency before the call reaches it.</summary>
internal sealed class ChaosEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ResiliencePipeline chaos)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        chaos.ExecuteAsync(async token => await base.GenerateAsync(values, options, token).ConfigureAwait(false), cancellationToken).AsTask();
}

/// <summary>A chat model behind chaos: faults and latency before the call reaches it.</summary>
internal sealed class ChaosChatClient(IChatClient inner, ResiliencePipeline chaos) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        chaos.ExecuteAsync(async token => await base.GetResponseAsync(messages, options, token).ConfigureAwait(false), cancellationToken).AsTask();
}
