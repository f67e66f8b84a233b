using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ResilientEmbeddingGeneratorBuilderExtensionsTests
{
    [Fact]
    public async Task Adds_a_ResilientEmbeddingGenerator_with_the_registered_options_and_configure()
    {
        var services = new ServiceCollection();
        services.Configure<ResilienceOptions>(o =>
        {
            MakeExact(o);
            o.BaseDelay = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();
        var inner = ScriptedEmbeddings(Status(500), Status(500), "ok");

        // 3 registered retries, 2 fewer by configure: one retry.
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseResilience(o => o.MaxRetryAttempts -= 2)
            .Build(provider);
        await Assert.ThrowsAsync<ModelRequestException>(() => generator.GenerateAsync(["a"]));

        Assert.IsType<ResilientEmbeddingGenerator<string, Embedding<float>>>(generator);
        Assert.Equal(2, inner.CallCount);
        Assert.Equal(3, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxRetryAttempts);
    }

    [Fact]
    public void Validates_the_options_when_the_pipeline_is_built()
    {
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(ScriptedEmbeddings("ok"))
            .UseResilience(o => o.MaxDelay = TimeSpan.FromDays(2));

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("AiEng:Resilience:MaxDelay is 2.00:00:00 but must be between 00:00:00 and 1.00:00:00 (1 day)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(
            "builder", () => ResilientEmbeddingGeneratorBuilderExtensions.UseResilience<string, Embedding<float>>(null!));
    }
}
