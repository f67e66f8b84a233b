using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.DependencyInjection;

public sealed class EmbeddingCacheAiEngBuilderExtensionsTests
{
    [Fact]
    public async Task Caches_the_embeddings_of_the_served_model_on_disk_across_service_providers()
    {
        using var cacheDirectory = new TempDirectory();
        var model = TestEmbeddingGenerator.FromFunction(t => [t.Length, 1f]);

        foreach (int _ in Enumerable.Range(0, 2))
        {
            using ServiceProvider services = TestServices.Build(
                TestServices.Configuration(),
                aieng => aieng.UseEmbeddingGenerator(_ => model).UseEmbeddingDiskCache(cacheDirectory.Path));
            var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(["hello", "hello world"]);
            Assert.Equal([5f, 11f], embeddings.Select(e => e.Vector.Span[0]));
        }

        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        var services = new ServiceCollection();
        AiEngBuilder builder = services.AddAiEng(TestServices.Configuration());
        Assert.Throws<ArgumentNullException>(() => EmbeddingCacheAiEngBuilderExtensions.UseEmbeddingDiskCache(null!, "dir"));
        Assert.Throws<ArgumentException>(() => builder.UseEmbeddingDiskCache(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.UseEmbeddingDiskCache("dir", o => o.DefaultSlidingExpiration = TimeSpan.FromSeconds(-1)));
    }
}
