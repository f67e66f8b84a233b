using AiEng.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIAiEngBuilderExtensionsTests
{
    [Fact]
    public void Registers_the_OpenAI_provider_once()
    {
        var services = new ServiceCollection();
        var builder = new AiEngBuilder(services);

        var returned = builder.AddOpenAI().AddOpenAI();

        Assert.Same(builder, returned);
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ModelProvider));
        Assert.IsType<OpenAIModelProvider>(descriptor.ImplementationInstance);
    }

    [Fact]
    public void A_configured_OpenAI_model_without_AddOpenAI_is_told_the_call_spelled_as_the_referenced_package_spells_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "openai",
            ["AiEng:Chat:Model"] = "gpt-4o-mini",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AiEngOptions>>().Value);

        Assert.Contains("AiEng:Chat:Provider is 'openai', but no provider of that name is registered", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "The application references the package AiEng.OpenAI, but its provider is not registered: call .AddOpenAI() on the builder AddAiEng returns, for example services.AddAiEng(configuration).AddOpenAI().",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OpenAIAiEngBuilderExtensions.AddOpenAI(null!));
    }
}
