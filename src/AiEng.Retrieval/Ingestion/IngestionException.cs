namespace AiEng.Retrieval;

/// <summary>
/// Thrown when a <see cref="DocumentIngestor"/> cannot write a document: the embeddings do not fit the collection (their
/// size differs from the collection's), the generator misbehaves, or the store rejects the write. Documents committed
/// before the failure stay; the failed document is written whole or not at all (see <see cref="DocumentIngestor"/>).
/// </summary>
public sealed class IngestionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="IngestionException"/> class.</summary>
    public IngestionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IngestionException"/> class with a message.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public IngestionException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IngestionException"/> class with a message and the underlying failure.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure, for example the store's.</param>
    public IngestionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the id of the document being written, when known.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Gets the index of the chunk concerned (<see cref="DocumentChunk.Index"/>), when the failure is about one, for example a chunk over the embedding model's token limit.</summary>
    public int? ChunkIndex { get; init; }

    /// <summary>Gets the name of the collection written to, when known.</summary>
    public string? CollectionName { get; init; }

    /// <summary>Gets the embedding size the collection expects, for a dimension mismatch.</summary>
    public int? ExpectedDimensions { get; init; }

    /// <summary>Gets the embedding size the generator produced, for a dimension mismatch.</summary>
    public int? ActualDimensions { get; init; }
}
