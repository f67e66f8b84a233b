using System.Globalization;
using AiEng.Postgres.Tests.TestSupport;
using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;
using AiEng.TestSupport;
using Microsoft.Extensions.VectorData;

namespace AiEng.Postgres.Tests.Retrieval.Postgres;

/// <summary>Each document's chunks are replaced in one PostgreSQL transaction: a failed or killed writer leaves no partial document.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAtomicRecordWriterTests(PostgresServer server) : IAsyncLifetime
{
    private readonly PostgresStores _stores = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    [PostgresFact]
    public async Task A_replacement_that_fails_half_way_leaves_the_previous_version_whole()
    {
        using var store = _stores.Create();
        var collection = store.GetCollection<Guid, ChunkRecord>("atomic", ChunkRecord.CreateDefinition(8));
        await collection.EnsureCollectionExistsAsync();
        var version1 = Chunks("doc", "v1", 3);
        await collection.UpsertAsync(version1);
        var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;

        // The delete runs, then the insert fails in the server (a text value with a NUL byte): the transaction rolls back.
        var version2 = Chunks("doc", "v2", 2);
        version2[1].Text = "bad\0text";
        await Assert.ThrowsAsync<VectorStoreException>(() => writer.ReplaceAsync([.. version1.Select(c => c.Key)], version2));

        var stored = await collection.GetAsync(c => c.DocumentId == "doc", 10).ToListAsync();
        Assert.Equal(3, stored.Count);
        Assert.All(stored, c => Assert.Equal("v1", c.ContentHash));
    }

    [PostgresFact]
    public async Task A_killed_ingestion_keeps_every_committed_document_whole_and_a_rerun_finishes_the_rest()
    {
        const int Documents = 200;
        var schema = $"aieng_crash_{Guid.NewGuid():N}"[..28];
        using var owner = _stores.Open(schema);

        // Run 1: kill the host (SIGKILL on Unix) as soon as it has committed some documents.
        var (committed, finished) = await RunHostAsync(schema, Documents, killAfterCommits: 20);
        Assert.False(finished, "the host finished before it was killed; the crash was not exercised");
        Assert.True(committed.Count >= 20, $"only {committed.Count} documents were reported committed");

        var afterCrash = await ReadDocumentsAsync(schema);
        Assert.All(committed, id => Assert.True(afterCrash.ContainsKey(id), $"{id} was reported committed but is missing"));
        Assert.InRange(afterCrash.Count, committed.Count, committed.Count + 1); // + the one committed but killed before it was reported

        // Run 2: the host skips what is stored and ingests the rest.
        var (rerunCommitted, rerunFinished) = await RunHostAsync(schema, Documents, killAfterCommits: null);
        Assert.True(rerunFinished, "the re-run did not finish");
        Assert.Equal(Documents - afterCrash.Count, rerunCommitted.Count);
        Assert.DoesNotContain(rerunCommitted, afterCrash.ContainsKey);

        var complete = await ReadDocumentsAsync(schema);
        Assert.Equal(Documents, complete.Count);
    }

    [PostgresFact]
    public async Task Killed_again_and_again_at_random_points_it_loses_no_committed_document_and_ingests_none_twice()
    {
        var schema = $"aieng_kills_{Guid.NewGuid():N}"[..28];
        using var owner = _stores.Open(schema);
        int seed = Environment.TickCount;

        var (kills, stored) = await KillLoop.RunAsync(killAfter => RunHostAsync(schema, KillLoop.Documents, killAfter), () => ReadDocumentsAsync(schema), seed);

        Assert.Equal(KillLoop.Kills, kills);
        Assert.Equal(KillLoop.Documents, stored);
    }

    private static List<ChunkRecord> Chunks(string documentId, string version, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new ChunkRecord
        {
            Key = ChunkRecord.CreateKey(documentId, i),
            DocumentId = documentId,
            ChunkIndex = i,
            Text = $"{documentId} chunk {i} {version}",
            ContentHash = version,
            Embedding = Enumerable.Range(0, 8).Select(d => d == i ? 1f : 0.01f).ToArray(),
        }),
    ];

    /// <summary>Opens the schema with a new store and checks that every stored document is whole and exact; returns the stored document ids.</summary>
    private async Task<Dictionary<string, int>> ReadDocumentsAsync(string schema)
    {
        using var store = _stores.Open(schema);
        return await CrashDocumentChecks.ReadWholeDocumentsAsync(store);
    }

    private Task<(List<string> Committed, bool Finished)> RunHostAsync(string schema, int documents, int? killAfterCommits) =>
        // A run that is to be killed pauses 10 ms after each commit, so it cannot finish before this process reads 20 commits.
        CrashHostProcess.RunAsync(
            CrashHostProcess.Find("AiEng.Postgres.CrashHost", typeof(PostgresAtomicRecordWriterTests).Assembly),
            [schema, documents.ToString(CultureInfo.InvariantCulture), killAfterCommits is null ? "0" : "10"],
            new Dictionary<string, string> { ["AIENG_CRASH_HOST_CONNECTION_STRING"] = _stores.ConnectionString },
            killAfterCommits);
}
