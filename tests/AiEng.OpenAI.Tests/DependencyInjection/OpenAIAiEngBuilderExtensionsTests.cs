using AiEng.Providers;
using Microsoft.Extensions.DependencyInjection;

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
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OpenAIAiEngBuilderExtensions.AddOpenAI(null!));
    }
}
