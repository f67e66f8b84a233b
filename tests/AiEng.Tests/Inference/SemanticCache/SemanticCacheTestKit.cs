using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.SemanticCache;

/// <summary>A model that numbers its answers, and a bag-of-words embedder, so that tests can tell hits (an old number) from calls.</summary>
internal static class SemanticCacheTestKit
{
    private const int Dimensions = 128;

    /// <summary>Embeds a text as the counts of its lower-cased words, hashed into 128 dimensions: word order and case do not matter.</summary>
    public static TestEmbeddingGenerator BagOfWords() => TestEmbeddingGenerator.FromFunction(text =>
    {
        var vector = new float[Dimensions];
        foreach (string word in text.ToLowerInvariant().Split([' ', '?', '.', ',', '!'], StringSplitOptions.RemoveEmptyEntries))
        {
            int hash = 17;
            foreach (char c in word)
            {
                hash = unchecked((hash * 31) + c);
            }

            vector[(hash & int.MaxValue) % Dimensions]++;
        }

        return vector;
    });

    /// <summary>A model that answers "answer N" for its N-th call.</summary>
    public static TestChatClient Numbered(Func<ChatResponse, ChatResponse>? shape = null)
    {
        int n = 0;
        return new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer {Interlocked.Increment(ref n)}"))
                {
                    ModelId = "test-model",
                    FinishReason = ChatFinishReason.Stop,
                    Usage = new UsageDetails { InputTokenCount = 1_000, OutputTokenCount = 200 },
                };
                return Task.FromResult(shape?.Invoke(response) ?? response);
            },
        };
    }

    /// <summary>A pipeline with the semantic cache and no guard (the guard has its own tests).</summary>
    public static IChatClient Build(IChatClient model, IEmbeddingGenerator<string, Embedding<float>>? embedder = null, Action<SemanticCacheOptions>? configure = null) =>
        model.AsBuilder()
            .UseSemanticCache(embedder ?? BagOfWords(), o =>
            {
                o.Guard = null;
                configure?.Invoke(o);
            })
            .Build();

    public static bool IsHit(ChatResponse response) => ResponseCacheProperties.GetHit(response.AdditionalProperties) == ResponseCacheProperties.Semantic;
}
