using AiEng.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Onnx.Tests;

public sealed class OnnxAiEngBuilderExtensionsTests
{
    [Fact]
    public void Registers_the_Onnx_provider_once()
    {
        var services = new ServiceCollection();
        var builder = new AiEngBuilder(services);

        Assert.Same(builder, builder.AddOnnx());
        builder.AddOnnx();

        using var provider = services.BuildServiceProvider();
        Assert.Equal("Onnx", Assert.Single(provider.GetServices<ModelProvider>()).Name);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxAiEngBuilderExtensions.AddOnnx(null!));
    }
}
