using AiEng.Providers;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.Inference.RequestLimits;

/// <summary>Request limits of configured models: the provider's published ones, overridden by the model's settings.</summary>
public sealed class EmbeddingRequestLimitSettingsTests
{
    [Fact]
    public async Task Splits_a_configured_models_calls_by_the_providers_limits()
    {
        var remote = new RemoteModelProvider { Limits = new EmbeddingRequestLimits { MaxInputsPerRequest = 2, MaxParallelRequests = 4 } };
        using var services = Build(remote, ("AiEng:Embeddings:Provider", "Remote"), ("AiEng:Embeddings:Model", "m"));
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(["a", "bb", "ccc", "dddd", "eeeee"]);

        Assert.Equal([2, 2, 1], remote.EmbeddingRequests.Select(r => r.Length));
        Assert.Equal([1f, 2, 3, 4, 5], result.Select(e => e.Vector.Span[0]));
        Assert.Equal(4, generator.GetService<EmbeddingRequestLimits>()?.MaxParallelRequests);
    }

    [Fact]
    public async Task Lets_the_models_settings_override_each_limit()
    {
        var remote = new RemoteModelProvider { Limits = new EmbeddingRequestLimits { MaxInputsPerRequest = 2, MaxParallelRequests = 4 } };
        using var services = Build(
            remote,
            ("AiEng:Embeddings:Provider", "Remote"),
            ("AiEng:Embeddings:Model", "m"),
            ("AiEng:Embeddings:Settings:MaxInputsPerRequest", "3"),
            ("AiEng:Embeddings:Settings:MaxParallelRequests", "2"),
            ("AiEng:Embeddings:Settings:MaxTokensPerRequest", "4"));
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await generator.GenerateAsync(["a", "b", "c", "d", "e f g h"]);

        // Three inputs a request, and (in the registered word counter) four tokens.
        Assert.Equal([["a", "b", "c"], ["d"], ["e f g h"]], remote.EmbeddingRequests);
        EmbeddingRequestLimits limits = generator.GetService<EmbeddingRequestLimits>()!;
        Assert.Equal((3, 4, 2), (limits.MaxInputsPerRequest, limits.MaxTokensPerRequest, limits.MaxParallelRequests));
    }

    [Fact]
    public async Task Sets_limits_from_settings_alone_for_a_provider_that_publishes_none()
    {
        var remote = new RemoteModelProvider();
        using var services = Build(
            remote, ("AiEng:EmbeddingModels:big:Provider", "Remote"), ("AiEng:EmbeddingModels:big:Model", "m"), ("AiEng:EmbeddingModels:big:Settings:MaxInputsPerRequest", "1"));
        var generator = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>("big");

        await generator.GenerateAsync(["a", "b"]);

        Assert.Equal(2, remote.EmbeddingRequests.Count);
    }

    [Fact]
    public void Adds_no_limits_to_a_model_without_any()
    {
        using var services = Build(new RemoteModelProvider(), ("AiEng:Embeddings:Provider", "Remote"), ("AiEng:Embeddings:Model", "m"));

        Assert.Null(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingRequestLimits>());
    }

    [Fact]
    public void Reports_a_malformed_limit_with_its_key_and_an_example()
    {
        using var services = Build(
            new RemoteModelProvider(), ("AiEng:Embeddings:Provider", "Remote"), ("AiEng:Embeddings:Model", "m"), ("AiEng:Embeddings:Settings:MaxTokensPerRequest", "0"));

        var ex = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Embeddings:Settings:MaxTokensPerRequest must be a positive whole number such as '300000'; '0' is not.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_limit_set_on_a_chat_model()
    {
        using var services = Build(
            new RemoteModelProvider(), ("AiEng:Chat:Provider", "Remote"), ("AiEng:Chat:Model", "m"), ("AiEng:Chat:Settings:MaxParallelRequests", "2"));

        var ex = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Chat:Settings:MaxParallelRequests applies to embedding models only", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(RemoteModelProvider provider, params (string Key, string? Value)[] values) =>
        TestServices.Build(TestServices.Configuration(values), builder => builder.AddProvider(provider));
}
