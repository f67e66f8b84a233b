using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Chunking;

/// <summary>Checks the invariants every chunker promises.</summary>
internal static class ChunkAssert
{
    /// <summary>Chunks are numbered from 0, belong to the document, and their own text is the document text at their offsets.</summary>
    public static void OffsetsReproduceText(Document document, IReadOnlyList<DocumentChunk> chunks)
    {
        Assert.NotEmpty(chunks);
        for (int i = 0; i < chunks.Count; i++)
        {
            DocumentChunk chunk = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.Equal(document.Id, chunk.DocumentId);
            Assert.Equal(document.Text[chunk.StartOffset..chunk.EndOffset], chunk.Text[chunk.PrefixLength..]);
        }
    }
}
