using AiEng.Inference;

namespace AiEng.Tests.Inference.RequestLimits;

public sealed class ModelRateLimitersTests
{
    [Fact]
    public void Gives_every_caller_of_one_provider_and_model_the_same_limiter()
    {
        using var limiters = new ModelRateLimiters();
        var options = new ModelRateLimitOptions { RequestsPerMinute = 100 };

        var first = limiters.GetOrAdd("OpenAI", "gpt-4o-mini", options);
        var second = limiters.GetOrAdd("openai", "GPT-4o-mini", new ModelRateLimitOptions { RequestsPerMinute = 100 });

        Assert.Same(first, second);
        Assert.Same(first, limiters.Find("OpenAI", "gpt-4o-mini"));
        Assert.NotSame(first, limiters.GetOrAdd("OpenAI", "gpt-4o", options));
        Assert.Null(limiters.Find("Ollama", "gpt-4o-mini"));
    }

    [Fact]
    public void Refuses_two_configurations_of_one_model_with_different_limits()
    {
        using var limiters = new ModelRateLimiters();
        limiters.GetOrAdd("OpenAI", "gpt-4o-mini", new ModelRateLimitOptions { RequestsPerMinute = 100 });

        var error = Assert.Throws<InvalidOperationException>(() =>
            limiters.GetOrAdd("OpenAI", "gpt-4o-mini", new ModelRateLimitOptions { RequestsPerMinute = 50 }));

        Assert.Contains("OpenAI/gpt-4o-mini", error.Message, StringComparison.Ordinal);
        Assert.Contains("100 requests", error.Message, StringComparison.Ordinal);
        Assert.Contains("50 requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_empty_model_id() =>
        Assert.Throws<ArgumentException>(() => new ModelRateLimiters().GetOrAdd("OpenAI", " ", new ModelRateLimitOptions()));
}
