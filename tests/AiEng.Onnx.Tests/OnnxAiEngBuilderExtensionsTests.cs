using AiEng.Providers;
using AiEng.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

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
    public async Task Retrieval_composes_with_the_local_embeddings_and_no_configuration()
    {
        var services = new ServiceCollection();
        services.AddAiEng(_ => { }).AddOnnx().AddRetrieval(options => options.ChunkSize = 200);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        StartupValidation.Validate(provider);

        IngestionResult result = await provider.GetRequiredService<DocumentIngestor>().IngestAsync(Documents(
            new Document("pets.md", "# Pets\n\nA kitten naps on the sofa all afternoon."),
            new Document("weather.md", "# Weather\n\nHeavy rain and strong wind are expected tomorrow.")));
        var chunks = await provider.GetRequiredService<IRetriever>().RetrieveAsync("Which young cat is sleeping?", 1);

        Assert.Equal(2, result.Added);
        var collection = provider.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>();
        var stored = await collection.GetAsync(ChunkRecord.CreateKey("pets.md", 0), new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(384, stored?.Embedding.Length);
        Assert.Equal("pets.md", Assert.Single(chunks).Chunk.DocumentId);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxAiEngBuilderExtensions.AddOnnx(null!));
    }

    private static async IAsyncEnumerable<Document> Documents(params Document[] documents)
    {
        foreach (var document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }
}
