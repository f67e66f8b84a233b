using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiEng.Retrieval;

namespace AiEng.Sqlite.CrashHost;

/// <summary>
/// The deterministic documents the crash host ingests; the crash test compiles this file too, to know exactly what each
/// committed document must contain.
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
}
