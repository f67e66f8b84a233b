using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.CrashHost;

/// <summary>
/// The deterministic documents the crash hosts (SQLite and PostgreSQL) ingest, and their ingestion loop; the crash tests
/// compile this file too, to know exactly what each committed document must contain.
/// </summary>
internal static class CrashDocuments
{
    /// <summary>The collection the documents go to.</summary>
    public const string Collection = "crash";

    /// <summary>The embedding size.</summary>
    public const int Dimensions = 64;

    /// <summary>The number of chunks of every document.</summary>
    public const int ChunksPerDocument = 12;

    /// <summary>Gets the id of document <paramref name="index"/>.</summary>
    public static string DocumentId(int index) => "doc-" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>Gets the content hash of a document (what ingestion compares to skip unchanged documents).</summary>
    public static string ContentHash(string documentId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(documentId + "|v1")));

    /// <summary>Creates the chunks of a document, with text and embeddings derived from its id only.</summary>
    public static List<ChunkRecord> Chunks(string documentId)
    {
        var hash = ContentHash(documentId);
        var chunks = new List<ChunkRecord>(ChunksPerDocument);
        for (var i = 0; i < ChunksPerDocument; i++)
        {
            var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{documentId}#{i}")));
            var random = new Random(seed);
            var embedding = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                embedding[d] = (float)((random.NextDouble() * 2) - 1);
            }

            var text = string.Create(CultureInfo.InvariantCulture, $"{documentId} chunk {i}: {new string((char)('a' + (seed & 15)), 200 + (seed & 255))}");
            chunks.Add(new ChunkRecord
            {
                Key = ChunkRecord.CreateKey(documentId, i),
                DocumentId = documentId,
                ChunkIndex = i,
                Text = text,
                Title = "Title of " + documentId,
                StartOffset = i * 1000,
                EndOffset = (i * 1000) + text.Length,
                ContentHash = hash,
                Embedding = embedding,
            });
        }

        return chunks;
    }

    /// <summary>
    /// Ingests <paramref name="documents"/> documents into <paramref name="store"/>, one <c>ReplaceAsync</c> (one transaction)
    /// per document, printing "committed &lt;id&gt;" after each commit; documents already stored with the same content hash
    /// are skipped ("skipped &lt;id&gt;"), so a re-run after a crash finishes the rest. Prints "done" at the end.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="documents">How many documents.</param>
    /// <param name="pause">How long to wait after each commit.</param>
    /// <param name="report">Where the lines go; standard output when <see langword="null"/>.</param>
    public static async Task IngestAsync(VectorStore store, int documents, TimeSpan pause, Action<string>? report = null)
    {
        report ??= Console.WriteLine;
        var collection = store.GetCollection<Guid, ChunkRecord>(Collection, ChunkRecord.CreateDefinition(Dimensions));
        await collection.EnsureCollectionExistsAsync();
        var writer = (IAtomicRecordWriter<Guid, ChunkRecord>)collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>))!;
        for (var d = 0; d < documents; d++)
        {
            var documentId = DocumentId(d);
            var existing = await collection.GetAsync(ChunkRecord.CreateKey(documentId, 0));
            if (existing?.ContentHash == ContentHash(documentId))
            {
                report($"skipped {documentId}");
                continue;
            }

            var chunks = Chunks(documentId);
            await writer.ReplaceAsync(chunks.Select(c => c.Key).ToList(), chunks);
            report($"committed {documentId}");
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        report("done");
    }
}
