using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;
using AiEng.TestSupport;

namespace AiEng.Sqlite.Tests.Retrieval.Sqlite;

/// <summary>Ingestion into a SQLite store on a disk that fills up (a small tmpfs; skipped where it cannot be mounted).</summary>
public sealed class SqliteFullDiskTests
{
    [SmallDiskFact]
    public async Task A_full_disk_fails_ingestion_with_an_error_naming_the_file_and_every_committed_document_stays_whole_and_readable()
    {
        using SmallDisk disk = SmallDisk.Mount(kilobytes: 12 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(disk.Path, "ballast"), new byte[1024 * 1024]);
        string path = Path.Combine(disk.Path, "store.db");
        var committed = new List<string>();
        void Report(string line)
        {
            if (line.StartsWith("committed ", StringComparison.Ordinal))
            {
                committed.Add(line["committed ".Length..]);
            }
        }

        Exception? error;
        using (var store = new SqliteVectorStore(path))
        {
            error = await Record.ExceptionAsync(() => CrashDocuments.IngestAsync(store, 2_000, TimeSpan.Zero, Report));
        }

        Assert.NotNull(error);
        Assert.True(committed.Count > 20, $"only {committed.Count} documents fitted: make the disk larger so that the failure comes mid-ingestion");
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("disk is full", error.Message, StringComparison.Ordinal);

        // Still readable on the full disk: every committed document whole, nothing partial.
        using (var store = new SqliteVectorStore(path))
        {
            Dictionary<string, int> stored = await CrashDocumentChecks.ReadWholeDocumentsAsync(store);
            Assert.Equal(committed.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        }

        // With space given back, a rerun skips what is stored and goes on.
        File.Delete(Path.Combine(disk.Path, "ballast"));
        int before = committed.Count;
        using (var store = new SqliteVectorStore(path))
        {
            await CrashDocuments.IngestAsync(store, before + 20, TimeSpan.Zero, Report);
            Assert.Equal(before + 20, (await CrashDocumentChecks.ReadWholeDocumentsAsync(store)).Count);
        }

        Assert.Equal(before + 20, committed.Count);
    }
}
