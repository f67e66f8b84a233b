namespace AiEng.Retrieval;

/// <summary>What a <see cref="DocumentIngestor"/> run did.</summary>
public sealed class IngestionResult
{
    /// <summary>Gets the number of new documents written.</summary>
    public int Added { get; init; }

    /// <summary>Gets the number of changed documents whose chunks were replaced.</summary>
    public int Updated { get; init; }

    /// <summary>Gets the number of documents skipped because their content hash matched the stored one.</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the number of documents deleted because the source no longer has them (sync only).</summary>
    public int Deleted { get; init; }

    /// <summary>Gets the number of files and documents skipped (binary, unreadable, unsupported, empty, malformed); each has an entry in <see cref="Issues"/>.</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the number of chunks written to the collection.</summary>
    public int Chunks { get; init; }

    /// <summary>Gets the number of input tokens the embedding generator reported using (0 when it reports no usage, for example for cached embeddings).</summary>
    public long EmbeddingTokens { get; init; }

    /// <summary>Gets every problem the loaders and the ingestor worked around, in the order they happened.</summary>
    public IReadOnlyList<DocumentLoadIssue> Issues { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Added} added, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Skipped} skipped; {Chunks} chunks, {EmbeddingTokens} embedding tokens, {Issues.Count} issues";
}
