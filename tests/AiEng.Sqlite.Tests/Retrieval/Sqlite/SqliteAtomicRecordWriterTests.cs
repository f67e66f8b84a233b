using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;
using AiEng.TestSupport;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

public sealed class SqliteAtomicRecordWriterTests : IDisposable
{
    private const int Chunks = 8;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static List<ChunkRecord> Version(string documentId, int version) =>
        Enumerable.Range(0, Chunks).Select(i => new ChunkRecord
        {
            Key = ChunkRecord.CreateKey(documentId, i),
            DocumentId = documentId,
            ChunkIndex = i,
            Text = $"v{version} chunk {i}",
            ContentHash = "v" + version,
            Embedding = new float[] { 1, i, version },
        }).ToList();

    private static async Task<(VectorStoreCollection<Guid, ChunkRecord> Collection, IAtomicRecordWriter<Guid, ChunkRecord> Writer)> ChunksWithVersionAsync(SqliteVectorStore store, int version)
    {
        var collection = store.GetCollection<Guid, ChunkRecord>("chunks", ChunkRecord.CreateDefinition(3));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Version("doc", version));
        return (collection, (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!);
    }

    [Fact]
    public async Task ReplaceAsync_deletes_and_upserts_in_one_step()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var (collection, writer) = await ChunksWithVersionAsync(store, 1);

        // Version 2 has fewer chunks: the stale ones go, the rest are replaced.
        var shorter = Version("doc", 2).Take(5).ToList();
        await writer.ReplaceAsync(Version("doc", 1).Select(c => c.Key).ToList(), shorter);

        var stored = await collection.GetAsync(c => c.DocumentId == "doc", 100).ToListAsync();
        Assert.Equal(5, stored.Count);
        Assert.All(stored, c => Assert.Equal("v2", c.ContentHash));
    }

    [Fact]
    public async Task A_failing_ReplaceAsync_leaves_the_old_version_complete()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var (collection, writer) = await ChunksWithVersionAsync(store, 1);
        var broken = Version("doc", 2);
        broken[^1].Embedding = new float[] { 1, 2 };

        await Assert.ThrowsAsync<ArgumentException>(() => writer.ReplaceAsync(broken.Select(c => c.Key).ToList(), broken));

        var stored = await collection.GetAsync(c => c.DocumentId == "doc", 100).ToListAsync();
        Assert.Equal(Chunks, stored.Count);
        Assert.All(stored, c => Assert.Equal("v1", c.ContentHash));
    }

    [Fact]
    public async Task Readers_during_replacements_see_either_all_of_a_version_or_none_of_it()
    {
        using var store = new SqliteVectorStore(_database.Path);
        var (collection, writer) = await ChunksWithVersionAsync(store, 0);
        const int Replacements = 150;

        var writing = Task.Run(async () =>
        {
            for (var v = 1; v <= Replacements; v++)
            {
                // Delete every key first, then upsert: without atomicity a reader could see no chunk or a mix.
                await writer.ReplaceAsync(Version("doc", v - 1).Select(c => c.Key).ToList(), Version("doc", v));
            }
        });

        var observedVersions = new HashSet<string>();
        var reads = 0;
        var readers = Enumerable.Range(0, 3).Select(reader => Task.Run(async () =>
        {
            do
            {
                var seen = reader == 0
                    ? (await collection.SearchAsync(new float[] { 1, 1, 1 }, Chunks * 2, new VectorSearchOptions<ChunkRecord> { Filter = c => c.DocumentId == "doc" }).ToListAsync()).Select(r => r.Record).ToList()
                    : await collection.GetAsync(c => c.DocumentId == "doc", Chunks * 2).ToListAsync();
                Assert.Equal(Chunks, seen.Count);
                Assert.Single(seen.Select(c => c.ContentHash).Distinct());
                Assert.All(seen, c => Assert.StartsWith(c.ContentHash + " ", c.Text, StringComparison.Ordinal));
                lock (observedVersions)
                {
                    observedVersions.Add(seen[0].ContentHash);
                    reads++;
                }
            }
            while (!writing.IsCompleted);
        })).ToList();

        await Task.WhenAll(readers.Append(writing));

        Assert.True(reads > 0, "no read ran during the writes");
        var final = await collection.GetAsync(c => c.DocumentId == "doc", 100).ToListAsync();
        Assert.All(final, c => Assert.Equal("v" + Replacements, c.ContentHash));
    }

    [Fact]
    public async Task A_killed_ingestion_keeps_every_committed_document_whole_and_a_rerun_finishes_the_rest()
    {
        const int Documents = 400;
        var host = CrashHostPath();

        // Run 1: kill the host (SIGKILL on Unix) as soon as it has committed some documents.
        var (committed, finished) = await RunHostAsync(host, Documents, killAfterCommits: 20);
        Assert.False(finished, "the host finished before it was killed; the crash was not exercised");
        Assert.True(committed.Count >= 20, $"only {committed.Count} documents were reported committed");

        var afterCrash = await ReadDocumentsAsync();
        Assert.All(committed, id => Assert.True(afterCrash.ContainsKey(id), $"{id} was reported committed but is missing"));
        Assert.InRange(afterCrash.Count, committed.Count, committed.Count + 1); // + the one committed but killed before it was reported

        // Run 2: the host skips what is stored and ingests the rest.
        var (rerunCommitted, rerunFinished) = await RunHostAsync(host, Documents, killAfterCommits: null);
        Assert.True(rerunFinished, "the re-run did not finish");
        Assert.Equal(Documents - afterCrash.Count, rerunCommitted.Count);
        Assert.DoesNotContain(rerunCommitted, afterCrash.ContainsKey);

        var complete = await ReadDocumentsAsync();
        Assert.Equal(Documents, complete.Count);
    }

    [Fact]
    public async Task Killed_again_and_again_at_random_points_it_loses_no_committed_document_and_ingests_none_twice()
    {
        var host = CrashHostPath();
        int seed = Environment.TickCount;

        var (kills, stored) = await KillLoop.RunAsync(killAfter => RunHostAsync(host, KillLoop.Documents, killAfter), ReadDocumentsAsync, seed);

        Assert.Equal(KillLoop.Kills, kills);
        Assert.Equal(KillLoop.Documents, stored);
    }

    /// <summary>Reopens the file and checks that every stored document is whole and exact; returns the stored document ids.</summary>
    private async Task<Dictionary<string, int>> ReadDocumentsAsync()
    {
        using var store = new SqliteVectorStore(_database.Path);
        return await CrashDocumentChecks.ReadWholeDocumentsAsync(store);
    }

    private Task<(List<string> Committed, bool Finished)> RunHostAsync(string hostDll, int documents, int? killAfterCommits) =>
        // A run that is to be killed pauses 10 ms after each commit: the remaining 380 documents then take at least 3.8 s, so
        // the host cannot finish before this process, possibly starved of CPU by parallel test runs, reads 20 commits.
        CrashHostProcess.RunAsync(hostDll, [_database.Path, documents.ToString(System.Globalization.CultureInfo.InvariantCulture), killAfterCommits is null ? "0" : "10"], environment: null, killAfterCommits);

    private static string CrashHostPath() => CrashHostProcess.Find("AiEng.Sqlite.CrashHost", typeof(SqliteAtomicRecordWriterTests).Assembly);
}
