using AiEng.Inference;
using AiEng.Providers;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.Inference.RequestLimits;

public sealed class RequestLimitingEmbeddingGeneratorTests
{
    [Fact]
    public async Task Splits_a_call_by_inputs_per_request_and_keeps_the_order_and_the_usage()
    {
        var requests = new List<string[]>();
        using var generator = Build(Recording(requests), new EmbeddingRequestLimits { MaxInputsPerRequest = 3 });
        string[] inputs = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g"];

        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(inputs);

        Assert.Equal([3, 3, 1], requests.Select(r => r.Length));
        Assert.Equal(inputs, requests.SelectMany(r => r));
        Assert.Equal([1f, 2, 3, 4, 5, 6, 1], result.Select(e => e.Vector.Span[0]));
        Assert.Equal(7, result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Splits_a_call_by_tokens_per_request_counted_with_the_limits_token_counter()
    {
        var requests = new List<string[]>();
        var limits = new EmbeddingRequestLimits { MaxTokensPerRequest = 5, TokenCounter = new WordTokenCounter() };
        using var generator = Build(Recording(requests), limits);

        await generator.GenerateAsync(["one two", "three four", "five six", "seven", "a b c d"]);

        // 2 + 2 fit in 5, a third pair would not; 2 + 1; then 4 alone.
        Assert.Equal([["one two", "three four"], ["five six", "seven"], ["a b c d"]], requests);
    }

    [Fact]
    public async Task Respects_both_limits_at_once()
    {
        var requests = new List<string[]>();
        var limits = new EmbeddingRequestLimits { MaxInputsPerRequest = 2, MaxTokensPerRequest = 3, TokenCounter = new WordTokenCounter() };
        using var generator = Build(Recording(requests), limits);

        await generator.GenerateAsync(["a", "b", "c", "d e", "f g h"]);

        Assert.Equal([2, 2, 1], requests.Select(r => r.Length));
        Assert.All(requests, r => Assert.InRange(r.Sum(t => t.Split(' ').Length), 1, 3));
    }

    [Fact]
    public async Task Sends_nothing_and_names_the_input_when_one_is_over_the_per_input_limit()
    {
        var requests = new List<string[]>();
        var limits = new EmbeddingRequestLimits { MaxInputsPerRequest = 1, MaxTokensPerInput = 3, TokenCounter = new WordTokenCounter() };
        using var generator = Build(Recording(requests), limits);

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => generator.GenerateAsync(["fine", "also fine", "one two three four"]));

        Assert.Empty(requests);
        Assert.Equal(2, ex.InputIndex);
        Assert.Contains("Input 2 of the embedding call has 4 tokens (words), more than the 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmbeddingRequestLimits:Settings:MaxTokensPerInput", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_input_that_no_request_could_hold()
    {
        var limits = new EmbeddingRequestLimits { MaxTokensPerRequest = 2, TokenCounter = new WordTokenCounter() };
        using var generator = Build(Recording([]), limits);

        var ex = await Assert.ThrowsAsync<ModelRequestException>(() => generator.GenerateAsync(["a", "b c d"]));

        Assert.Equal(1, ex.InputIndex);
        Assert.Contains("MaxTokensPerRequest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_with_the_models_own_tokenizer_before_the_registered_counter()
    {
        var requests = new List<string[]>();
        TestEmbeddingGenerator inner = Recording(requests);
        var characters = new CharacterTokenCounter();
        inner.GetServiceCallback = (type, _) => type == typeof(EmbeddingTokenWindow) ? new EmbeddingTokenWindow(characters, 512) : null;
        var services = new ServiceCollection().AddSingleton<ITokenCounter>(new WordTokenCounter()).BuildServiceProvider();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseRequestLimits(new EmbeddingRequestLimits { MaxTokensPerRequest = 4 })
            .Build(services);

        await generator.GenerateAsync(["ab", "cd", "e"]);

        // In characters 2 + 2 fill a request; in words all three would have fitted.
        Assert.Equal([2, 1], requests.Select(r => r.Length));
    }

    [Fact]
    public async Task Counts_with_the_registered_counter_when_the_model_has_none()
    {
        var requests = new List<string[]>();
        var services = new ServiceCollection().AddSingleton<ITokenCounter>(new WordTokenCounter()).BuildServiceProvider();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(Recording(requests))
            .UseRequestLimits(new EmbeddingRequestLimits { MaxTokensPerRequest = 4 })
            .Build(services);

        await generator.GenerateAsync(["ab cd", "ef", "gh ij kl"]);

        Assert.Equal([2, 1], requests.Select(r => r.Length));
    }

    [Fact]
    public async Task Passes_a_call_within_the_limits_through_as_one_request()
    {
        var requests = new List<string[]>();
        using var generator = Build(Recording(requests), new EmbeddingRequestLimits { MaxInputsPerRequest = 2048 });

        await generator.GenerateAsync(["a", "b"]);

        Assert.Single(requests);
    }

    [Fact]
    public void Answers_its_limits_from_GetService()
    {
        var limits = new EmbeddingRequestLimits { MaxParallelRequests = 3 };
        using var generator = Build(Recording([]), limits);

        Assert.Same(limits, generator.GetService<EmbeddingRequestLimits>());
    }

    [Fact]
    public void Checks_its_arguments()
    {
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(Recording([]));

        Assert.Throws<ArgumentNullException>(() => builder.UseRequestLimits(null!));
        Assert.Throws<ArgumentNullException>(() => RequestLimitingEmbeddingGeneratorBuilderExtensions.UseRequestLimits(null!, new EmbeddingRequestLimits()));
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Build(TestEmbeddingGenerator inner, EmbeddingRequestLimits limits) =>
        new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseRequestLimits(limits).Build();

    /// <summary>A generator of one-dimension vectors (the text's length) that records each request and reports one token per input.</summary>
    private static TestEmbeddingGenerator Recording(List<string[]> requests) => new()
    {
        GenerateAsyncCallback = (values, _, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] inputs = [.. values];
            requests.Add(inputs);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(inputs.Select(t => new Embedding<float>(new float[] { t.Length })))
            {
                Usage = new UsageDetails { InputTokenCount = inputs.Length },
            });
        },
    };

    private sealed class CharacterTokenCounter : ITokenCounter
    {
        public string Name => "characters";

        public int CountTokens(string text) => text.Length;

        public IReadOnlyList<string> GetTokens(string text) => [.. text.Select(c => c.ToString())];
    }
}
