using AiEng.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Ollama.Tests;

public sealed class OllamaAiEngBuilderExtensionsTests
{
    [Fact]
    public void Registers_the_Ollama_provider_once()
    {
        var services = new ServiceCollection();
        var builder = new AiEngBuilder(services);

        var returned = builder.AddOllama().AddOllama();

        Assert.Same(builder, returned);
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ModelProvider));
        Assert.IsType<OllamaModelProvider>(descriptor.ImplementationInstance);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OllamaAiEngBuilderExtensions.AddOllama(null!));
    }
}
