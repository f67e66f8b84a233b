using System.Buffers;
using System.Collections.Frozen;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// An immutable BM25 keyword index built by <see cref="Bm25IndexBuilder"/>; searches are thread-safe and lock-free.
/// </summary>
/// <remarks>
/// <para>
/// A document's score for a query is the sum over the query's terms t (after <see cref="EnglishAnalyzer"/>; a term repeated
/// in the query counts once per occurrence) of
/// <c>idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))</c>, where tf is the term's frequency in the document,
/// dl the document's length in terms (after stop-word removal), avgdl the average length over the index, and
/// <c>idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))</c> with N documents and df of them containing t (Lucene's
/// non-negative idf). Lucene 8 and later leave out the constant factor (k1 + 1), which changes no ranking; Lucene also
/// stores document lengths lossily in one byte, which this index does not.
/// </para>
/// <para>
/// Each term keeps one flat postings array of document numbers and precomputed weights; a search adds the weights of its
/// terms into a <see cref="float"/> accumulator per document and keeps the best documents in a bounded heap. Equal scores
/// are ordered by the order in which documents were added.
/// </para>
/// </remarks>
internal sealed class Bm25Index
{
    private readonly string[] _documentIds;
    private readonly FrozenDictionary<string, int> _termIds;
    private readonly int[] _offsets;
    private readonly int[] _postingDocuments;
    private readonly float[] _postingWeights;

    internal Bm25Index(string[] documentIds, Dictionary<string, int> termIds, int[] offsets, int[] postingDocuments, float[] postingWeights)
    {
        _documentIds = documentIds;
        _termIds = termIds.ToFrozenDictionary(StringComparer.Ordinal);
        _offsets = offsets;
        _postingDocuments = postingDocuments;
        _postingWeights = postingWeights;
    }

    /// <summary>Gets the number of documents in the index.</summary>
    public int Count => _documentIds.Length;

    /// <summary>Finds the documents that best match a query.</summary>
    /// <param name="query">The query text, analysed like the documents.</param>
    /// <param name="top">The largest number of hits to return; at least 1.</param>
    /// <returns>Up to <paramref name="top"/> documents that contain at least one query term, best first; empty when no term of the query is in the index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public IReadOnlyList<SearchHit> Search(string query, int top) => Search(query, top, include: null);

    /// <summary>Finds the documents that best match a query among those that <paramref name="include"/> accepts.</summary>
    /// <param name="query">The query text, analysed like the documents.</param>
    /// <param name="top">The largest number of hits to return; at least 1.</param>
    /// <param name="include">
    /// Accepts a document by its position in the index (the order it was added in), or <see langword="null"/> to accept all.
    /// It is applied before the top hits are chosen, so a filtered search still returns up to <paramref name="top"/> hits, and it is
    /// asked at most once per document and search, however many query terms the document holds.
    /// </param>
    /// <returns>Up to <paramref name="top"/> accepted documents that contain at least one query term, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public IReadOnlyList<SearchHit> Search(string query, int top, Func<int, bool>? include)
    {
        Throw.IfNull(query);
        Throw.IfLessThan(top, 1);
        var queryTerms = new Dictionary<int, int>();
        foreach (string term in EnglishAnalyzer.Analyze(query))
        {
            if (_termIds.TryGetValue(term, out int termId))
            {
                queryTerms[termId] = queryTerms.GetValueOrDefault(termId) + 1;
            }
        }

        if (queryTerms.Count == 0)
        {
            return [];
        }

        int n = _documentIds.Length;
        float[] scores = ArrayPool<float>.Shared.Rent(n);
        int[] touched = ArrayPool<int>.Shared.Rent(n);
        try
        {
            Array.Clear(scores, 0, n);
            int touchedCount = 0;
            foreach (var (termId, count) in queryTerms)
            {
                float boost = count;
                for (int p = _offsets[termId]; p < _offsets[termId + 1]; p++)
                {
                    int d = _postingDocuments[p];
                    float score = scores[d];
                    if (score == 0)
                    {
                        if (include is not null && !include(d))
                        {
                            // A rejected document is marked NaN, so the filter is asked once per document, not once
                            // per query term; it is never added to the touched candidates.
                            scores[d] = float.NaN;
                            continue;
                        }

                        touched[touchedCount++] = d;
                    }
                    else if (float.IsNaN(score))
                    {
                        continue;
                    }

                    scores[d] += boost * _postingWeights[p];
                }
            }

            return TopK(scores, touched.AsSpan(0, touchedCount), top);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(touched);
        }
    }

    private SearchHit[] TopK(float[] scores, ReadOnlySpan<int> candidates, int top)
    {
        int capacity = Math.Min(top, candidates.Length);
        var heap = new int[capacity];
        int size = 0;
        foreach (int d in candidates)
        {
            if (size < capacity)
            {
                heap[size] = d;
                SiftUp(heap, size++, scores);
            }
            else if (Better(d, heap[0], scores))
            {
                heap[0] = d;
                SiftDown(heap, size, scores);
            }
        }

        var hits = new SearchHit[size];
        for (int i = size - 1; i >= 0; i--)
        {
            int d = heap[0];
            hits[i] = new SearchHit(_documentIds[d], scores[d]);
            heap[0] = heap[i];
            SiftDown(heap, i, scores);
        }

        return hits;
    }

    /// <summary>Whether document <paramref name="x"/> ranks above <paramref name="y"/>: higher score, then earlier added.</summary>
    private static bool Better(int x, int y, float[] scores) => scores[x] > scores[y] || (scores[x] == scores[y] && x < y);

    // A min-heap on rank: the root is the worst of the kept documents.
    private static void SiftUp(int[] heap, int i, float[] scores)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(heap[parent], heap[i], scores))
            {
                break;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(int[] heap, int size, float[] scores)
    {
        int i = 0;
        while (true)
        {
            int worst = i;
            int left = (2 * i) + 1;
            int right = left + 1;
            if (left < size && Better(heap[worst], heap[left], scores))
            {
                worst = left;
            }

            if (right < size && Better(heap[worst], heap[right], scores))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
