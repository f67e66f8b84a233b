using AiEng.Inference;
using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using Npgsql;

namespace AiEng.Postgres.Tests.DependencyInjection;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAiEngBuilderExtensionsTests(PostgresServer server) : IAsyncLifetime
{
    private const string Password = "s3cret-Pa55word";
    private readonly PostgresStores _stores = new(server);
    private readonly string _schema = $"aieng_di_{Guid.NewGuid():N}"[..24];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await _stores.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
    }

    [PostgresFact]
    public async Task AddRetrieval_ingests_into_PostgreSQL_and_its_hybrid_retrieval_runs_in_the_database()
    {
        await using (var first = Build(null, aieng => aieng.AddPostgresVectorStore(_stores.ConnectionString, o => o.Schema = _schema).AddRetrieval()))
        {
            IngestionResult result = await first.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(
                new Document("animals.md", "The kitten sleeps on the warm mat."),
                new Document("finance.md", "Quarterly revenue grew in Europe.")));
            Assert.Equal(2, result.Added);
        }

        // Another process (here: another container, registered in the other order) sees the same chunks.
        await using var second = Build(null, aieng => aieng.AddRetrieval().AddPostgresVectorStore(_stores.ConnectionString, o => o.Schema = _schema));
        Assert.IsType<PostgresVectorStore>(second.GetRequiredService<VectorStore>());
        var chunks = await second.GetRequiredService<IRetriever>().RetrieveAsync("revenue in Europe", 1);
        Assert.Equal("finance.md", Assert.Single(chunks).Chunk.DocumentId);
        IngestionResult again = await second.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(new Document("finance.md", "Quarterly revenue grew in Europe.")));
        Assert.Equal(1, again.Unchanged);
    }

    [PostgresFact]
    public async Task The_connection_string_and_options_come_from_configuration_and_the_password_is_never_logged()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_stores.ConnectionString) { Password = server.IsPglite ? Password : new NpgsqlConnectionStringBuilder(_stores.ConnectionString).Password }.ConnectionString;
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password!;
        var collector = new FakeLogCollector();
        await using var services = Build(
            new Dictionary<string, string?>
            {
                ["AiEng:Retrieval:Postgres:ConnectionString"] = connectionString,
                ["AiEng:Retrieval:Postgres:Schema"] = _schema,
                ["AiEng:Retrieval:Postgres:HybridRankConstant"] = "30",
            },
            aieng =>
            {
                aieng.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
                aieng.AddPostgresVectorStore().AddRetrieval();
            });

        var store = services.GetRequiredService<PostgresVectorStore>();
        Assert.Equal(30, services.GetRequiredService<IOptions<PostgresVectorStoreOptions>>().Value.HybridRankConstant);
        await store.GetCollection<string, TestRecord>("probe").EnsureCollectionExistsAsync();
        Assert.True(await store.CollectionExistsAsync("probe"));
        Assert.Contains(await store.ListCollectionNamesAsync().ToListAsync(), n => n == "probe");

        var logged = collector.GetSnapshot();
        Assert.Contains(logged, r => r.Message.Contains("AiEng retrieval keeps its collections in PostgreSQL", StringComparison.Ordinal) && r.Message.Contains(_schema, StringComparison.Ordinal));
        Assert.All(logged, r => Assert.DoesNotContain(password, r.Message + r.Exception, StringComparison.Ordinal));
        var metadata = (VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!;
        Assert.DoesNotContain(password, metadata.VectorStoreName!, StringComparison.Ordinal);
        Assert.DoesNotContain(password, store.ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_connection_string_or_a_bad_option_fails_naming_the_configuration_key()
    {
        using var missing = Build(new Dictionary<string, string?>(), aieng => aieng.AddPostgresVectorStore());
        var error = Assert.Throws<InvalidOperationException>(() => missing.GetRequiredService<VectorStore>());
        Assert.Contains("AiEng:Retrieval:Postgres:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Retrieval__Postgres__ConnectionString", error.Message, StringComparison.Ordinal);

        using var bad = Build(
            new Dictionary<string, string?> { ["AiEng:Retrieval:Postgres:ConnectionString"] = $"Host=localhost;Password={Password}", ["AiEng:Retrieval:Postgres:HnswM"] = "1" },
            aieng => aieng.AddPostgresVectorStore());
        var invalid = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<PostgresVectorStoreOptions>>().Value);
        Assert.Contains("AiEng:Retrieval:Postgres:HnswM", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_connection_of_the_store_and_the_usage_ledger_never_shows_the_password()
    {
        // Nothing listens on port 1: both fail to connect, and neither error may carry the password.
        string connectionString = $"Host=127.0.0.1;Port=1;Username=app;Password={Password};Timeout=2";
        using var store = new PostgresVectorStore(connectionString);
        Exception storeError = await Assert.ThrowsAnyAsync<Exception>(() => store.GetCollection<string, TestRecord>("probe").EnsureCollectionExistsAsync());
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var ledger = new PostgresUsageLedger(dataSource);
        Exception ledgerError = await Assert.ThrowsAnyAsync<Exception>(async () => await ledger.RecordAsync(new UsageRecord { Timestamp = DateTimeOffset.UtcNow, Operation = "chat", Model = "m" }));

        Assert.All([storeError, ledgerError], e => Assert.DoesNotContain(Password, e.ToString() + e.Message, StringComparison.Ordinal));
        Assert.Contains("127.0.0.1", storeError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        AiEngBuilder builder = new ServiceCollection().AddAiEng(_ => { });
        Assert.Throws<ArgumentNullException>(() => PostgresAiEngBuilderExtensions.AddPostgresVectorStore(null!, "Host=localhost"));
        Assert.Throws<ArgumentException>(() => builder.AddPostgresVectorStore(" "));
        var error = Assert.Throws<ArgumentException>(() => builder.AddPostgresVectorStore($"Hostt=localhost;Password={Password}"));
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddPostgresVectorStore("Host=localhost", o => o.UpsertBatchSize = 0));
    }

    [Fact]
    public void The_service_collection_route_keeps_a_store_registered_before()
    {
        var services = new ServiceCollection();
        var other = new PostgresVectorStore("Host=localhost");
        services.AddSingleton<VectorStore>(other);

        services.AddPostgresVectorStore("Host=localhost", o => o.Schema = "app");

        using var provider = services.BuildServiceProvider();
        Assert.Same(other, provider.GetRequiredService<VectorStore>());
        Assert.NotNull(provider.GetRequiredService<PostgresVectorStore>());
    }

    private static ServiceProvider Build(Dictionary<string, string?>? configuration, Action<AiEngBuilder> configure)
    {
        var generator = TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, 32));
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "words", 32);
        var services = new ServiceCollection();
        var builder = configuration is null
            ? services.AddAiEng(_ => { })
            : services.AddAiEng(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        configure(builder.UseEmbeddingGenerator(_ => generator));
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

    /// <summary>A small record to create a collection with.</summary>
    public sealed class TestRecord
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }
}
