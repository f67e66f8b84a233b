namespace AiEng.Retrieval;

/// <summary>
/// A document being ingested: its chunks are queued for embedding, and its embedded records are kept in memory up to a
/// bound, then staged in a file, until the whole document can be committed.
/// </summary>
internal sealed class PendingDocument(Document document, bool exists, int maxBuffered, string? stagingDirectory) : IDisposable
{
    private readonly List<ChunkRecord> _buffer = [];
    private ChunkStagingFile? _staged;

    public Document Document { get; } = document;

    /// <summary>Gets a value indicating whether the collection already holds a version of the document.</summary>
    public bool Exists { get; } = exists;

    /// <summary>Gets or sets the number of chunks queued for embedding so far.</summary>
    public int Queued { get; set; }

    /// <summary>Gets the number of chunks embedded so far.</summary>
    public int Embedded { get; private set; }

    /// <summary>Gets or sets a value indicating whether the chunker has produced every chunk.</summary>
    public bool Chunked { get; set; }

    /// <summary>Gets a value indicating whether the document can be committed: every chunk produced and embedded.</summary>
    public bool IsComplete => Chunked && Embedded == Queued;

    /// <summary>Gets a value indicating whether the records are staged in a file rather than held in memory.</summary>
    public bool IsStaged => _staged is not null;

    public void Add(ChunkRecord record)
    {
        Embedded++;
        if (_staged is null && _buffer.Count < maxBuffered)
        {
            _buffer.Add(record);
            return;
        }

        if (_staged is null)
        {
            _staged = new ChunkStagingFile(Document, stagingDirectory);
            foreach (ChunkRecord buffered in _buffer)
            {
                _staged.Add(buffered);
            }

            _buffer.Clear();
            _buffer.TrimExcess();
        }

        _staged.Add(record);
    }

    /// <summary>Gets every record of the document, in chunk order; a staged document's are read lazily from its file.</summary>
    public IReadOnlyCollection<ChunkRecord> GetRecords()
    {
        if (_staged is null)
        {
            return _buffer;
        }

        _staged.Seal();
        return _staged;
    }

    public void Dispose()
    {
        _staged?.Dispose();
        _buffer.Clear();
    }
}
