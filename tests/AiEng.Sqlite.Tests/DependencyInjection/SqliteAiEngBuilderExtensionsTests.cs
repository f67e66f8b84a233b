using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteAiEngBuilderExtensionsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Retrieval_keeps_its_chunks_in_the_file_across_providers()
    {
        await using (ServiceProvider first = Build(aieng => aieng.AddSqliteVectorStore(_database.Path).AddRetrieval()))
        {
            IngestionResult result = await first.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(
                new Document("animals.md", "The kitten sleeps on the warm mat."),
                new Document("finance.md", "Quarterly revenue grew in Europe.")));
            Assert.Equal(2, result.Added);
        }

        await using ServiceProvider second = Build(aieng => aieng.AddRetrieval().AddSqliteVectorStore(_database.Path));

        Assert.IsType<SqliteVectorStore>(second.GetRequiredService<VectorStore>());
        var chunks = await second.GetRequiredService<IRetriever>().RetrieveAsync("revenue in Europe", 1);
        Assert.Equal("finance.md", Assert.Single(chunks).Chunk.DocumentId);
        IngestionResult again = await second.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(new Document("finance.md", "Quarterly revenue grew in Europe.")));
        Assert.Equal(1, again.Unchanged);
    }

    [Fact]
    public async Task Is_registered_after_a_store_added_before_and_disposed_with_the_container()
    {
        using var other = new SqliteVectorStore(Path.Combine(Path.GetDirectoryName(_database.Path)!, "other.db"));
        SqliteVectorStore store;
        await using (ServiceProvider services = Build(aieng =>
        {
            aieng.Services.AddSingleton<VectorStore>(other);
            aieng.AddSqliteVectorStore(_database.Path, options => options.Durability = SqliteDurability.Full);
        }))
        {
            store = Assert.IsType<SqliteVectorStore>(services.GetRequiredService<VectorStore>());
            Assert.Same(services.GetRequiredService<SqliteVectorStore>(), store);
            Assert.Equal(Path.GetFullPath(_database.Path), store.DataSource);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CollectionExistsAsync("chunks"));
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        AiEngBuilder builder = new ServiceCollection().AddAiEng(_ => { });
        Assert.Throws<ArgumentNullException>(() => SqliteAiEngBuilderExtensions.AddSqliteVectorStore(null!, _database.Path));
        Assert.Throws<ArgumentException>(() => builder.AddSqliteVectorStore(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddSqliteVectorStore(_database.Path, o => o.BusyTimeout = TimeSpan.FromSeconds(-1)));
    }

    private static ServiceProvider Build(Action<AiEngBuilder> configure)
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, 32));
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "words", 32);
        var services = new ServiceCollection();
        configure(services.AddAiEng(_ => { }).UseEmbeddingGenerator(_ => generator));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async IAsyncEnumerable<Document> Stream(params Document[] documents)
    {
        foreach (var document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }
}
