using System.Collections.Frozen;

namespace AiEng.Retrieval;

/// <summary>
/// Builds a <see cref="Bm25Segment{TDocument}"/> from documents given as term frequencies: analysed text for new documents,
/// or the postings of older segments when segments are merged (so merging never analyses text again).
/// </summary>
/// <typeparam name="TDocument">The document payload.</typeparam>
internal sealed class Bm25SegmentBuilder<TDocument>
{
    private readonly bool _luceneLengths;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly List<TDocument> _documents = [];
    private readonly List<int> _lengths = [];
    private readonly List<int> _documentStarts = [0];
    private readonly List<int> _terms = [];
    private readonly List<int> _frequencies = [];

    /// <summary>Initializes a new instance of the <see cref="Bm25SegmentBuilder{TDocument}"/> class.</summary>
    /// <param name="luceneLengths">Whether documents are scored with Lucene's rounded lengths.</param>
    public Bm25SegmentBuilder(bool luceneLengths) => _luceneLengths = luceneLengths;

    /// <summary>Gets the number of documents added.</summary>
    public int Count => _ids.Count;

    /// <summary>Adds a document by its analysed terms (in text order; repeated terms repeat).</summary>
    public void AddAnalyzed(string id, TDocument document, IReadOnlyList<string> terms)
    {
        var counts = new Dictionary<int, int>();
        foreach (string term in terms)
        {
            int termId = TermId(term);
            counts[termId] = counts.GetValueOrDefault(termId) + 1;
        }

        foreach (var (termId, frequency) in counts)
        {
            _terms.Add(termId);
            _frequencies.Add(frequency);
        }

        Close(id, document, terms.Count);
    }

    /// <summary>Adds a document by its term frequencies and length, as read from another segment.</summary>
    public void AddCounted(string id, TDocument document, int length, IEnumerable<(string Term, int Frequency)> frequencies)
    {
        foreach (var (term, frequency) in frequencies)
        {
            _terms.Add(TermId(term));
            _frequencies.Add(frequency);
        }

        Close(id, document, length);
    }

    /// <summary>Builds the segment; the builder should not be used afterwards.</summary>
    public Bm25Segment<TDocument> Build()
    {
        int documentCount = _ids.Count;
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

        var next = offsets[..termCount];
        var postingDocuments = new int[_terms.Count];
        var postingFrequencies = new int[_terms.Count];
        for (int d = 0; d < documentCount; d++)
        {
            for (int p = _documentStarts[d]; p < _documentStarts[d + 1]; p++)
            {
                int slot = next[_terms[p]]++;
                postingDocuments[slot] = d;
                postingFrequencies[slot] = _frequencies[p];
            }
        }

        var terms = new string[termCount];
        foreach (var (term, termId) in _termIds)
        {
            terms[termId] = term;
        }

        int[] lengths = [.. _lengths];
        var scoredLengths = new double[documentCount];
        for (int d = 0; d < documentCount; d++)
        {
            scoredLengths[d] = Bm25Scoring.ScoredLength(lengths[d], _luceneLengths);
        }

        return new Bm25Segment<TDocument>(
            [.. _ids], [.. _documents], lengths, scoredLengths, _termIds.ToFrozenDictionary(StringComparer.Ordinal), terms, offsets, postingDocuments, postingFrequencies);
    }

    private int TermId(string term)
    {
        if (!_termIds.TryGetValue(term, out int termId))
        {
            termId = _termIds.Count;
            _termIds.Add(term, termId);
        }

        return termId;
    }

    private void Close(string id, TDocument document, int length)
    {
        _ids.Add(id);
        _documents.Add(document);
        _lengths.Add(length);
        _documentStarts.Add(_terms.Count);
    }
}
