using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Collects documents for a <see cref="Bm25Index"/>: add every document, then call <see cref="Build"/> once to get an
/// immutable index. The builder is not thread-safe; the index it builds is.
/// </summary>
/// <remarks>
/// The index is built once and then frozen rather than updated in place: BM25's idf and average document length depend on
/// the whole collection, and a frozen index can keep one flat postings array per term with precomputed term weights,
/// which makes searching fast and lock-free. To add documents later, add them to a builder again and build a new index.
/// Text is analysed with <see cref="EnglishAnalyzer"/>; index title and body as one field by joining them with a space.
/// </remarks>
internal sealed class Bm25IndexBuilder
{
    private readonly Bm25Options _options;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _documentIds = [];
    private readonly List<int> _documentLengths = [];
    private readonly List<int> _documentStarts = [0];
    private readonly List<int> _terms = [];
    private readonly List<int> _frequencies = [];
    private readonly Dictionary<int, int> _counts = [];

    /// <summary>Initializes a new instance of the <see cref="Bm25IndexBuilder"/> class.</summary>
    /// <param name="options">The BM25 parameters; <see langword="null"/> for Anserini's defaults (k1 0.9, b 0.4).</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public Bm25IndexBuilder(Bm25Options? options = null) => _options = (options ?? new Bm25Options()).Validate();

    /// <summary>Gets the number of documents added so far.</summary>
    public int Count => _documentIds.Count;

    /// <summary>Adds a document.</summary>
    /// <param name="id">The document id, unique within the index.</param>
    /// <param name="text">The text to index; may be empty (such a document never matches).</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or was added before.</exception>
    public void Add(string id, string text)
    {
        Throw.IfNullOrWhitespace(id);
        Throw.IfNull(text);
        if (!_ids.Add(id))
        {
            throw new ArgumentException($"A document with id '{id}' was already added; document ids must be unique.", nameof(id));
        }

        _counts.Clear();
        var terms = EnglishAnalyzer.Analyze(text);
        foreach (string term in terms)
        {
            if (!_termIds.TryGetValue(term, out int termId))
            {
                termId = _termIds.Count;
                _termIds.Add(term, termId);
            }

            _counts[termId] = _counts.GetValueOrDefault(termId) + 1;
        }

        foreach (var (termId, frequency) in _counts)
        {
            _terms.Add(termId);
            _frequencies.Add(frequency);
        }

        _documentIds.Add(id);
        _documentLengths.Add(terms.Count);
        _documentStarts.Add(_terms.Count);
    }

    /// <summary>Builds the index over the documents added so far. The builder can be used again afterwards.</summary>
    /// <returns>An immutable, thread-safe index.</returns>
    public Bm25Index Build()
    {
        int documentCount = _documentIds.Count;
        int termCount = _termIds.Count;
        var offsets = new int[termCount + 1];
        foreach (int termId in _terms)
        {
            offsets[termId + 1]++;
        }

        for (int t = 0; t < termCount; t++)
        {
            offsets[t + 1] += offsets[t];
        }

        double averageLength = documentCount == 0 ? 0 : _documentLengths.Sum(static length => (long)length) / (double)documentCount;
        var idf = new double[termCount];
        for (int t = 0; t < termCount; t++)
        {
            int df = offsets[t + 1] - offsets[t];
            idf[t] = Math.Log(1 + ((documentCount - df + 0.5) / (df + 0.5)));
        }

        var next = offsets[..termCount];
        var postingDocuments = new int[_terms.Count];
        var postingWeights = new float[_terms.Count];
        double k1 = _options.K1;
        double b = _options.B;
        for (int d = 0; d < documentCount; d++)
        {
            double length = _options.LuceneLengthEncoding ? LuceneLength.Round(_documentLengths[d]) : _documentLengths[d];
            double lengthNorm = averageLength > 0 ? k1 * (1 - b + (b * length / averageLength)) : k1;
            for (int p = _documentStarts[d]; p < _documentStarts[d + 1]; p++)
            {
                int termId = _terms[p];
                double tf = _frequencies[p];
                int slot = next[termId]++;
                postingDocuments[slot] = d;
                postingWeights[slot] = (float)(idf[termId] * tf * (k1 + 1) / (tf + lengthNorm));
            }
        }

        var terms = new Dictionary<string, int>(_termIds, StringComparer.Ordinal);
        return new Bm25Index([.. _documentIds], terms, offsets, postingDocuments, postingWeights);
    }
}
