using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Collects documents for a <see cref="Bm25Index{TDocument}"/>: add every document, then call <see cref="Build"/> once to get
/// an immutable index. The builder is not thread-safe; the index it builds is.
/// </summary>
/// <typeparam name="TDocument">The payload each document carries to the search results.</typeparam>
/// <remarks>
/// Text is analysed with <see cref="EnglishAnalyzer"/>; index title and body as one field by joining them with a space.
/// To change the index later, use <see cref="Bm25Index{TDocument}.Apply"/>, which analyses only the changed documents.
/// </remarks>
internal sealed class Bm25IndexBuilder<TDocument>
{
    private readonly Bm25Options _options;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private Bm25SegmentBuilder<TDocument> _segment;

    /// <summary>Initializes a new instance of the <see cref="Bm25IndexBuilder{TDocument}"/> class.</summary>
    /// <param name="options">The BM25 parameters; <see langword="null"/> for Anserini's defaults (k1 0.9, b 0.4).</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public Bm25IndexBuilder(Bm25Options? options = null)
    {
        _options = (options ?? new Bm25Options()).Validate();
        _segment = new Bm25SegmentBuilder<TDocument>(_options.LuceneLengthEncoding);
    }

    /// <summary>Gets the number of documents added so far.</summary>
    public int Count => _ids.Count;

    /// <summary>Adds a document.</summary>
    /// <param name="id">The document id, unique within the index.</param>
    /// <param name="text">The text to index; may be empty (such a document never matches).</param>
    /// <param name="document">The payload searches return for the document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or was added before.</exception>
    public void Add(string id, string text, TDocument document)
    {
        Throw.IfNullOrWhitespace(id);
        Throw.IfNull(text);
        if (!_ids.Add(id))
        {
            throw new ArgumentException($"A document with id '{id}' was already added; document ids must be unique.", nameof(id));
        }

        _segment.AddAnalyzed(id, document, EnglishAnalyzer.Analyze(text));
    }

    /// <summary>Builds the index over the documents added so far, and empties the builder.</summary>
    /// <returns>An immutable, thread-safe index.</returns>
    public Bm25Index<TDocument> Build()
    {
        var segment = _segment.Build();
        _segment = new Bm25SegmentBuilder<TDocument>(_options.LuceneLengthEncoding);
        _ids.Clear();
        return segment.Count == 0 ? Bm25Index<TDocument>.Empty(_options) : Bm25Index<TDocument>.Create(_options, segment);
    }
}
