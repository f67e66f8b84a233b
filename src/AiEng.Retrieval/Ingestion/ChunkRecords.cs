namespace AiEng.Retrieval;

/// <summary>Turns a document's chunks into the <see cref="ChunkRecord"/>s ingestion stores.</summary>
internal static class ChunkRecords
{
    /// <summary>The separator of <see cref="ChunkRecord.HeadingPath"/>.</summary>
    public const string HeadingSeparator = " > ";

    public static ChunkRecord Create(Document document, DocumentChunk chunk, ReadOnlyMemory<float> embedding) =>
        Create(
            document,
            chunk.Index,
            chunk.Text,
            chunk.StartOffset,
            chunk.EndOffset,
            chunk.HeadingPath.Count == 0 ? null : string.Join(HeadingSeparator, chunk.HeadingPath),
            chunk.Page,
            embedding);

    public static ChunkRecord Create(
        Document document, int index, string text, int startOffset, int endOffset, string? headingPath, int? page, ReadOnlyMemory<float> embedding) =>
        new()
        {
            Key = ChunkRecord.CreateKey(document.Id, index),
            DocumentId = document.Id,
            ChunkIndex = index,
            Text = text,
            Title = document.Title,
            Source = document.Source,
            StartOffset = startOffset,
            EndOffset = endOffset,
            HeadingPath = headingPath,
            Page = page,
            ContentHash = document.ContentHash,
            Embedding = embedding,
        };
}
