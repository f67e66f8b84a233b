using System.Globalization;
using System.Runtime.InteropServices;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// Readers and a writer at once on a real store: while one writer upserts a large batch (new records, and new versions of
/// existing ones) and then deletes records, several readers search (top 10, with vectors) and read records by key. Every
/// record a reader gets must be whole and written: its key, text, title and vector all of one version that was upserted
/// (a text naming another version than the vector's is a torn record); an existing record is never missing while it is
/// replaced; after the batch completes no old version is returned, and after the deletes complete no deleted record is.
/// No call may throw. Sized to run in a few seconds; each store's test project derives from it, as it does from
/// <see cref="VectorStoreConformanceTests"/>.
/// </summary>
public abstract class ConcurrentLoadConformanceTests
{
    private const string DocumentId = "load";
    private const int Dimensions = 32;

    /// <summary>Gets the number of readers running beside the writer. The default is 3.</summary>
    protected virtual int Readers => 3;

    /// <summary>Gets the number of records stored before the writer starts. The default is 400.</summary>
    protected virtual int InitialRecords => 400;

    /// <summary>Gets the number of new records in the writer's batch (besides the replaced ones). The default is 1,000.</summary>
    protected virtual int NewRecords => 1000;

    /// <summary>Gets the number of existing records the batch replaces with a new version, and of those the writer then deletes. The default is 100.</summary>
    protected virtual int ChangedRecords => 100;

    /// <summary>Creates a new, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract VectorStore CreateStore();

    /// <summary>Gets the collection of chunks <paramref name="name"/> of <paramref name="store"/>; by default of <see cref="ChunkRecord"/>s.</summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="dimensions">The embedding size.</param>
    /// <returns>The collection.</returns>
    protected virtual VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetCollection<Guid, ChunkRecord>(name, ChunkRecord.CreateDefinition(dimensions));
    }

    /// <summary>Searches and reads during a bulk upsert and deletes return only whole records that were written, and never a replaced or deleted one after the write completed.</summary>
    /// <returns>A task that completes when the rule is checked.</returns>
    [Fact]
    public async Task Searches_and_reads_during_a_bulk_upsert_and_deletes_return_only_whole_written_records()
    {
        using var store = CreateStore();
        var collection = GetChunkCollection(store, "load", Dimensions);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Enumerable.Range(0, InitialRecords).Select(static i => Record(i, version: 1)));

        // Records [0, changed) get a second version in the batch; records [changed, 2 * changed) are deleted after it; the
        // batch also adds records [initial, initial + new).
        int changed = ChangedRecords, initial = InitialRecords, total = InitialRecords + NewRecords;
        var state = new LoadState();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(() => ReadAsync(collection, state, new Random(r + 1), stop.Token))).ToArray();
        try
        {
            // The readers are all running before the writer starts.
            while (state.Rounds < Readers && !readers.Any(static r => r.IsCompleted))
            {
                await Task.Delay(1);
            }

            await collection.UpsertAsync([.. Enumerable.Range(0, changed).Select(static i => Record(i, version: 2)), .. Enumerable.Range(initial, NewRecords).Select(static i => Record(i, version: 1))]);
            state.Upserted = true;
            state.Deleting = true;
            await collection.DeleteAsync(Enumerable.Range(changed, changed).Select(static i => Key(i)));
            state.Deleted = true;

            // Let every reader finish some rounds with the write complete.
            int target = state.Rounds + (10 * Readers);
            while (state.Rounds < target && !readers.Any(static r => r.IsCompleted))
            {
                await Task.Delay(10);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        // The end state: each record once, in its last version, the deleted ones gone.
        var stored = await collection.GetAsync(static r => r.DocumentId == DocumentId, int.MaxValue, new FilteredRecordRetrievalOptions<ChunkRecord> { IncludeVectors = true }).ToListAsync();
        Assert.Equal(total - changed, stored.Count);
        foreach (var record in stored)
        {
            var (index, version) = CheckWhole(record, "after the write");
            Assert.True(index < changed ? version == 2 : index >= 2 * changed, $"after the write: record {index} version {version} should be gone");
        }
    }

    private async Task ReadAsync(VectorStoreCollection<Guid, ChunkRecord> collection, LoadState state, Random random, CancellationToken stop)
    {
        int changed = ChangedRecords, initial = InitialRecords, total = InitialRecords + NewRecords;
        var searchOptions = new VectorSearchOptions<ChunkRecord> { IncludeVectors = true };
        var getOptions = new RecordRetrievalOptions { IncludeVectors = true };
        while (!stop.IsCancellationRequested)
        {
            // What was complete before the call started must be seen by it.
            bool upserted = state.Upserted, deleted = state.Deleted;
            int index = random.Next(total);
            string where = $"reading record {index} (batch {(upserted ? "done" : "in progress")}, deletes {(deleted ? "done" : "pending")})";

            var hits = new List<ChunkRecord>();
            await foreach (var hit in collection.SearchAsync(Vector(index, random.Next(1, 3)), 10, searchOptions, CancellationToken.None))
            {
                hits.Add(hit.Record);
            }

            var got = await collection.GetAsync(Key(index), getOptions, CancellationToken.None);
            foreach (var record in got is null ? hits : [.. hits, got])
            {
                var (found, version) = CheckWhole(record, where);
                Assert.False(upserted && found < changed && version == 1, $"{where}: record {found} version 1 was returned after the batch replaced it");
                Assert.False(deleted && found >= changed && found < 2 * changed, $"{where}: record {found} was returned after it was deleted");
            }

            // An existing record stays readable while it is replaced; one to be deleted until the delete starts (read after
            // the call: if it had not started then, it had not started during the call); a new one once its batch completed.
            bool deleting = state.Deleting;
            bool present = index < changed || (index >= 2 * changed && index < initial) || (!deleting && index < initial) || (upserted && index >= initial);
            Assert.False(present && got is null, $"{where}: the record is missing");
            state.Round();
        }
    }

    // Asserts that a record is one of those written, whole (key, text, title and vector of one version), and returns which.
    private (int Index, int Version) CheckWhole(ChunkRecord record, string where)
    {
        string[] parts = record.Text.Split(' ');
        int index = -1, version = 0;
        bool named = parts.Length == 3 && parts[0] == DocumentId
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && parts[2] is "v1" or "v2" && (version = parts[2][1] - '0') > 0;
        bool written = named && index < InitialRecords + NewRecords && (version == 1 ? index < InitialRecords + NewRecords : index < ChangedRecords);
        Assert.True(written, $"{where}: a record that was never written: key {record.Key}, text '{record.Text}'");
        Assert.True(record.Key == Key(index) && record.Title == Title(index, version), $"{where}: record '{record.Text}' is torn: key {record.Key}, title '{record.Title}'");
        Assert.True(
            MemoryMarshal.AsBytes(Vector(index, version).AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(record.Embedding.Span)),
            $"{where}: record '{record.Text}' is torn: its vector is not the one written with its text");
        return (index, version);
    }

    private static Guid Key(int index) => ChunkRecord.CreateKey(DocumentId, index);

    private static string Title(int index, int version) => string.Create(CultureInfo.InvariantCulture, $"title of {index} v{version}");

    private static ChunkRecord Record(int index, int version) => new()
    {
        Key = Key(index),
        DocumentId = DocumentId,
        ChunkIndex = index,
        Text = string.Create(CultureInfo.InvariantCulture, $"{DocumentId} {index} v{version}"),
        Title = Title(index, version),
        Embedding = Vector(index, version),
    };

    // A vector derived from the record's index and version only, so that every reader knows what a record must hold.
    private static float[] Vector(int index, int version)
    {
        var random = new Random((index * 7) + version);
        var vector = new float[Dimensions];
        for (int d = 0; d < vector.Length; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    /// <summary>What the writer has completed, and how many rounds the readers have made.</summary>
    private sealed class LoadState
    {
        private volatile bool _upserted;
        private volatile bool _deleting;
        private volatile bool _deleted;
        private int _rounds;

        public bool Upserted
        {
            get => _upserted;
            set => _upserted = value;
        }

        public bool Deleting
        {
            get => _deleting;
            set => _deleting = value;
        }

        public bool Deleted
        {
            get => _deleted;
            set => _deleted = value;
        }

        public int Rounds => Volatile.Read(ref _rounds);

        public void Round() => Interlocked.Increment(ref _rounds);
    }
}
