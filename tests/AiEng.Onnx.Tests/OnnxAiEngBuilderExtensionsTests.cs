using AiEng.Providers;
using AiEng.Retrieval;
using AiEng.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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

    [Theory]
    [InlineData(null, null, 254, 200)]               // MiniLM as shipped: the default 200 word pieces, within its 254
    [InlineData("128", "passage: ", 124, 124)]      // a window below the default: 128 less [CLS], [SEP] and "passage", ":"
    public async Task Retrieval_chunks_in_the_models_word_pieces_so_no_chunk_is_truncated(string? maxSequenceLength, string? documentPrefix, int window, int chunkSize)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Embeddings:Provider"] = "Onnx",
            ["AiEng:Embeddings:Settings:IntraOpThreads"] = "2",
            ["AiEng:Embeddings:Settings:MaxSequenceLength"] = maxSequenceLength,
            ["AiEng:Embeddings:Settings:DocumentPrefix"] = documentPrefix,
        }).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddFakeLogging());
        services.AddAiEng(configuration).AddOnnx().AddRetrieval();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        StartupValidation.Validate(provider);
        Document document = LongDocument();

        var chunks = provider.GetRequiredService<IChunker>().Chunk(document).ToList();
        IngestionResult result = await provider.GetRequiredService<DocumentIngestor>().IngestAsync(Documents(document));

        BertTokenCounter wordPieces;
        using (var vocabulary = MiniLmModel.OpenVocabulary())
        {
            wordPieces = BertTokenCounter.Create(vocabulary);
        }

        int[] sizes = [.. chunks.Select(chunk => wordPieces.CountTokens(chunk.Text))];
        Assert.Equal(chunks.Count, result.Chunks);
        Assert.True(sizes.Length > 3, $"{sizes.Length} chunks");
        Assert.All(sizes, size => Assert.InRange(size, 1, chunkSize));
        Assert.True(sizes.Max() > chunkSize - 30, $"the largest chunk has {sizes.Max()} word pieces, far below {chunkSize}");

        // Counted in o200k_base tokens, as when the model's tokenizer is unknown, chunks of 200 overflow the window here.
        var o200k = new MarkdownSectionChunker(TiktokenTokenCounter.O200kBase, new ChunkerOptions { ChunkSize = 200, ChunkOverlap = 32 }).Chunk(document);
        Assert.Contains(o200k, chunk => wordPieces.CountTokens(chunk.Text) > window);

        Assert.DoesNotContain(provider.GetFakeLogCollector().GetSnapshot(), record => record.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxAiEngBuilderExtensions.AddOnnx(null!));
    }

    /// <summary>
    /// A long Markdown document of configuration notes: code, keys, paths and addresses, which WordPiece splits at every
    /// punctuation mark into more pieces than o200k_base has tokens (as in the repository's own docs).
    /// </summary>
    private static Document LongDocument()
    {
        string[] settings = ["BatchSize", "IntraOpThreads", "MaxSequenceLength", "QueryPrefix", "DocumentPrefix", "Pooling"];
        var text = new System.Text.StringBuilder("# Configuration notes\n\n");
        for (int i = 0; i < 150; i++)
        {
            string setting = settings[i % settings.Length];
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Step {i}: call services.AddAiEng(configuration).AddOnnx(). ");
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Set AiEng__Embeddings__Settings__{setting}={i + 1} in ./config/appsettings.{i}.json. ");
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"See https://example.org/docs/embeddings.md#{setting.ToLowerInvariant()}-{i}.");
            text.Append((i % 10) == 9 ? "\n\n" : " ");
        }

        return new Document("notes.md", text.ToString()) { Sections = [new DocumentSection(0, text.Length) { HeadingPath = ["Configuration notes"] }] };
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
