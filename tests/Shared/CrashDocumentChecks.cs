using System.Runtime.InteropServices;
using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;
using Microsoft.Extensions.VectorData;

namespace AiEng.TestSupport;

/// <summary>What the crash tests of every store check after a killed ingestion: each stored document is whole and exact.</summary>
internal static class CrashDocumentChecks
{
    /// <summary>Reads the crash hosts' collection from <paramref name="store"/>, asserts that every stored document has all its chunks with their text, hash and vector bytes, and returns the stored document ids with their chunk counts.</summary>
    public static async Task<Dictionary<string, int>> ReadWholeDocumentsAsync(VectorStore store)
    {
        var collection = store.GetCollection<Guid, ChunkRecord>(CrashDocuments.Collection, ChunkRecord.CreateDefinition(CrashDocuments.Dimensions));
        var stored = await collection.GetAsync(c => c.ChunkIndex >= 0, int.MaxValue, new FilteredRecordRetrievalOptions<ChunkRecord> { IncludeVectors = true }).ToListAsync();
        var documents = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in stored.GroupBy(c => c.DocumentId))
        {
            var expected = CrashDocuments.Chunks(group.Key).ToDictionary(c => c.Key);
            Assert.True(group.Count() == CrashDocuments.ChunksPerDocument, $"{group.Key} is partial: {group.Count()} of {CrashDocuments.ChunksPerDocument} chunks");
            foreach (var chunk in group)
            {
                var want = expected[chunk.Key];
                Assert.Equal(want.Text, chunk.Text);
                Assert.Equal(want.ContentHash, chunk.ContentHash);
                Assert.True(MemoryMarshal.AsBytes(want.Embedding.Span).SequenceEqual(MemoryMarshal.AsBytes(chunk.Embedding.Span)), $"{chunk.Key}: vector bytes differ");
            }

            documents[group.Key] = group.Count();
        }

        return documents;
    }
}
