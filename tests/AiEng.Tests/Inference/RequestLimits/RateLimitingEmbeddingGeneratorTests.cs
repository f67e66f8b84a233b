using AiEng.Inference;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.RequestLimits;

public sealed class RateLimitingEmbeddingGeneratorTests
{
    [Fact]
    public async Task Counts_every_inputs_tokens_against_the_token_limit()
    {
        var time = new FakeTimeProvider();
        using var limiter = new ModelRateLimiter(new ModelRateLimitOptions { TokensPerMinute = 600 }, time);
        var inner = TestEmbeddingGenerator.FromFunction(_ => [1f]);
        var services = new ServiceCollection().AddSingleton<ITokenCounter>(new WordTokenCounter()).BuildServiceProvider();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseRateLimits(limiter).Build(services);
        string words = string.Join(' ', Enumerable.Repeat("w", 250));

        await generator.GenerateAsync([words, words]).WaitAsync(TimeSpan.FromSeconds(10));
        var next = generator.GenerateAsync([words]);

        // 500 of 600 used; 250 more need 15 s at 10 tokens a second.
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, inner.CallCount);
    }
}
