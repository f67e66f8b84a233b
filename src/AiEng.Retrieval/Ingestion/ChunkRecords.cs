namespace AiEng.Retrieval;

/// <summary>Turns a document's chunks into the <see cref="ChunkRecord"/>s ingestion stores.</summary>
internal static class ChunkRecords
{
    /// <summary>The separator of <see cref="ChunkRecord.HeadingPath"/>.</summary>
    public const string HeadingSeparator = " > ";

    /// <summary>Creates the record of <paramref name="chunk"/>, with the metadata of the document and chunk and the tags of the <paramref name="filterableFields"/>.</summary>
    public static ChunkRecord Create(Document document, DocumentChunk chunk, ReadOnlyMemory<float> embedding, IEnumerable<string> filterableFields)
    {
        var record = Create(
            document,
            chunk.Index,
            chunk.Text,
            chunk.StartOffset,
            chunk.EndOffset,
            chunk.HeadingPath.Count == 0 ? null : string.Join(HeadingSeparator, chunk.HeadingPath),
            chunk.Page,
            embedding);

        // The chunk's metadata (a sentence window, say) overlays the document's under the same key.
        IEnumerable<KeyValuePair<string, string>> metadata = chunk.Metadata.Count == 0
            ? document.Metadata
            : document.Metadata.Where(pair => !chunk.Metadata.ContainsKey(pair.Key)).Concat(chunk.Metadata);
        record.SetMetadata(metadata);
        foreach (string key in filterableFields)
        {
            if (chunk.Metadata.TryGetValue(key, out string? value) || document.Metadata.TryGetValue(key, out value))
            {
                record.Tags.Add(ChunkRecord.CreateTag(key, value));
            }
        }

        return record;
    }

    /// <summary>Creates a record of <paramref name="document"/> from per-chunk fields; metadata and tags are left empty.</summary>
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
