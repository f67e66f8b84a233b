using System.Buffers;
using System.Collections.Immutable;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// An immutable BM25 keyword index: built by <see cref="Bm25IndexBuilder{TDocument}"/> and changed by
/// <see cref="Apply"/>, which returns a new index and leaves this one as it was. Searches are thread-safe and lock-free.
/// </summary>
/// <typeparam name="TDocument">The payload each document carries to the search results (and to the search filter).</typeparam>
/// <remarks>
/// <para>
/// A document's score for a query is the sum over the query's terms t (after <see cref="EnglishAnalyzer"/>; a term repeated
/// in the query counts once per occurrence) of
/// <c>idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))</c>, where tf is the term's frequency in the document,
/// dl the document's length in terms (after stop-word removal), avgdl the average length over the index, and
/// <c>idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))</c> with N documents and df of them containing t (Lucene's
/// non-negative idf). Lucene 8 and later leave out the constant factor (k1 + 1), which changes no ranking. Lengths are
/// rounded as Lucene 4 stores them when <see cref="Bm25Options.LuceneLengthEncoding"/> is on.
/// </para>
/// <para>
/// The index is a list of immutable segments (postings of document number and term frequency per term) plus the set of
/// deleted documents per segment. Because N, avgdl and df change with every write, term weights are computed at search time
/// from the live documents only, so an index changed by <see cref="Apply"/> scores every document exactly as an index
/// built from scratch over the same documents would. Adding documents analyses only them; small segments are merged
/// (from their postings, without analysing text again) so that a search visits few segments.
/// </para>
/// <para>
/// Equal scores are ordered by the order in which documents were last written (added, or replaced by <see cref="Apply"/>).
/// </para>
/// </remarks>
internal sealed class Bm25Index<TDocument>
{
    private readonly Bm25Options _options;
    private readonly Part[] _parts;
    private readonly ImmutableDictionary<string, Location> _locations;
    private readonly long _totalLength;

    private Bm25Index(Bm25Options options, Part[] parts, ImmutableDictionary<string, Location> locations, long totalLength)
    {
        _options = options;
        _parts = parts;
        _locations = locations;
        _totalLength = totalLength;
    }

    /// <summary>Gets the number of documents in the index.</summary>
    public int Count => _locations.Count;

    /// <summary>Gets the number of segments the index searches (for tests of the merge policy).</summary>
    internal int SegmentCount => _parts.Length;

    /// <summary>Creates an empty index.</summary>
    /// <param name="options">The BM25 parameters, already validated.</param>
    internal static Bm25Index<TDocument> Empty(Bm25Options options) =>
        new(options, [], ImmutableDictionary.Create<string, Location>(StringComparer.Ordinal), 0);

    /// <summary>Creates an index of one segment.</summary>
    internal static Bm25Index<TDocument> Create(Bm25Options options, Bm25Segment<TDocument> segment) => Empty(options).Append(new HashSet<string>(), segment);

    /// <summary>Finds the documents that best match a query.</summary>
    /// <param name="query">The query text, analysed like the documents.</param>
    /// <param name="top">The largest number of hits to return; at least 1.</param>
    /// <param name="include">
    /// Accepts a document, or <see langword="null"/> to accept all. It is applied before the top hits are chosen, so a filtered
    /// search still returns up to <paramref name="top"/> hits, and it is asked at most once per document and search, however many
    /// query terms the document holds. It does not change the statistics (N, df, avgdl), which cover every document.
    /// </param>
    /// <returns>Up to <paramref name="top"/> accepted documents that contain at least one query term, best first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public IReadOnlyList<Bm25Hit<TDocument>> Search(string query, int top, Func<TDocument, bool>? include = null)
    {
        Throw.IfNull(query);
        Throw.IfLessThan(top, 1);
        var queryTerms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string term in EnglishAnalyzer.Analyze(query))
        {
            queryTerms[term] = queryTerms.GetValueOrDefault(term) + 1;
        }

        int live = Count;
        if (queryTerms.Count == 0 || live == 0)
        {
            return [];
        }

        int slots = _parts.Length == 0 ? 0 : _parts[^1].Base + _parts[^1].Segment.Count;
        float[] scores = ArrayPool<float>.Shared.Rent(slots);
        int[] touched = ArrayPool<int>.Shared.Rent(slots);
        try
        {
            Array.Clear(scores, 0, slots);
            int touchedCount = 0;
            double k1 = _options.K1;
            double b = _options.B;
            double averageLength = _totalLength / (double)live;
            foreach (var (term, count) in queryTerms)
            {
                int df = DocumentFrequency(term);
                if (df == 0)
                {
                    continue;
                }

                double idf = Bm25Scoring.Idf(live, df);
                float boost = count;
                foreach (var part in _parts)
                {
                    var segment = part.Segment;
                    if (!segment.TermIds.TryGetValue(term, out int termId))
                    {
                        continue;
                    }

                    for (int p = segment.Offsets[termId]; p < segment.Offsets[termId + 1]; p++)
                    {
                        int local = segment.PostingDocuments[p];
                        if (part.Deleted is { } deleted && deleted[local])
                        {
                            continue;
                        }

                        int d = part.Base + local;
                        float score = scores[d];
                        if (score == 0)
                        {
                            if (include is not null && !include(segment.Documents[local]))
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

                        // Weights are computed here, from the live statistics, so scores do not depend on how the index
                        // came to hold its documents.
                        scores[d] += boost * Bm25Scoring.Weight(idf, segment.PostingFrequencies[p], segment.ScoredLengths[local], averageLength, k1, b);
                    }
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

    /// <summary>
    /// Returns an index with <paramref name="deletes"/> removed and then <paramref name="upserts"/> added or replaced; this
    /// index does not change. Only the upserted documents are analysed.
    /// </summary>
    /// <param name="upserts">The documents to add or replace (by id); when an id repeats, the last one wins.</param>
    /// <param name="deletes">The ids to remove; ids not in the index are ignored.</param>
    /// <returns>The changed index, or this one when nothing changed.</returns>
    /// <exception cref="ArgumentNullException">An argument, an id or a text is <see langword="null"/>.</exception>
    public Bm25Index<TDocument> Apply(IEnumerable<(string Id, string Text, TDocument Document)> upserts, IEnumerable<string> deletes)
    {
        Throw.IfNull(upserts);
        Throw.IfNull(deletes);
        var latest = new Dictionary<string, (string Text, TDocument Document)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (id, text, document) in upserts)
        {
            Throw.IfNull(id, nameof(upserts));
            Throw.IfNull(text, nameof(upserts));
            if (!latest.ContainsKey(id))
            {
                order.Add(id);
            }

            latest[id] = (text, document);
        }

        // Deleted ids and the old versions of replaced ones.
        var removed = new HashSet<string>(Throw.IfNull(deletes).Where(id => id is not null), StringComparer.Ordinal);
        removed.UnionWith(order);
        if (latest.Count == 0 && !removed.Any(_locations.ContainsKey))
        {
            return this;
        }

        Bm25Segment<TDocument>? added = null;
        if (order.Count > 0)
        {
            var builder = new Bm25SegmentBuilder<TDocument>(_options.LuceneLengthEncoding);
            foreach (string id in order)
            {
                var (text, document) = latest[id];
                builder.AddAnalyzed(id, document, EnglishAnalyzer.Analyze(text));
            }

            added = builder.Build();
        }

        return Append(removed, added);
    }

    /// <summary>Removes <paramref name="removed"/>, appends <paramref name="added"/> and merges segments where the policy asks for it.</summary>
    private Bm25Index<TDocument> Append(IReadOnlySet<string> removed, Bm25Segment<TDocument>? added)
    {
        var parts = new List<(Bm25Segment<TDocument> Segment, bool[]? Deleted, int DeletedCount)>(_parts.Length + 1);
        foreach (var part in _parts)
        {
            parts.Add((part.Segment, part.Deleted, part.DeletedCount));
        }

        var locations = _locations.ToBuilder();
        long totalLength = _totalLength;
        foreach (string id in removed)
        {
            if (!locations.TryGetValue(id, out var location))
            {
                continue;
            }

            locations.Remove(id);
            int index = parts.FindIndex(p => ReferenceEquals(p.Segment, location.Segment));
            var (segment, deleted, deletedCount) = parts[index];
            bool[] copy = deleted is null ? new bool[segment.Count] : deleted == _parts[index].Deleted ? (bool[])deleted.Clone() : deleted;
            copy[location.Slot] = true;
            parts[index] = (segment, copy, deletedCount + 1);
            totalLength -= segment.Lengths[location.Slot];
        }

        if (added is not null)
        {
            parts.Add((added, null, 0));
            for (int slot = 0; slot < added.Count; slot++)
            {
                locations[added.Ids[slot]] = new Location(added, slot);
                totalLength += added.Lengths[slot];
            }
        }

        Compact(parts, locations);
        var result = new Part[parts.Count];
        int start = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            result[i] = new Part(parts[i].Segment, parts[i].Deleted, parts[i].DeletedCount, start);
            start += parts[i].Segment.Count;
        }

        return new Bm25Index<TDocument>(_options, result, locations.ToImmutable(), totalLength);
    }

    /// <summary>
    /// Merges a segment into the one before it while it holds at least half as many live documents (so segment sizes fall
    /// geometrically and a search visits O(log N) segments), and rewrites a segment once half its documents are deleted.
    /// Merging keeps the documents' order.
    /// </summary>
    private void Compact(List<(Bm25Segment<TDocument> Segment, bool[]? Deleted, int DeletedCount)> parts, ImmutableDictionary<string, Location>.Builder locations)
    {
        for (int i = parts.Count - 1; i >= 0; i--)
        {
            if (parts[i].Segment.Count - parts[i].DeletedCount == 0)
            {
                parts.RemoveAt(i);
            }
            else if (parts[i].DeletedCount * 2 > parts[i].Segment.Count)
            {
                parts[i] = (Merge([parts[i]], locations), null, 0);
            }
        }

        while (parts.Count >= 2 && Live(parts[^1]) * 2 >= Live(parts[^2]))
        {
            var merged = Merge([parts[^2], parts[^1]], locations);
            parts.RemoveRange(parts.Count - 2, 2);
            parts.Add((merged, null, 0));
        }

        static int Live((Bm25Segment<TDocument> Segment, bool[]? Deleted, int DeletedCount) part) => part.Segment.Count - part.DeletedCount;
    }

    private Bm25Segment<TDocument> Merge(
        IEnumerable<(Bm25Segment<TDocument> Segment, bool[]? Deleted, int DeletedCount)> sources, ImmutableDictionary<string, Location>.Builder locations)
    {
        var builder = new Bm25SegmentBuilder<TDocument>(_options.LuceneLengthEncoding);
        var moved = new List<string>();
        foreach (var (segment, deleted, _) in sources)
        {
            // Turn the term-major postings back into each document's term frequencies.
            var perDocument = new List<(string, int)>[segment.Count];
            for (int termId = 0; termId < segment.Terms.Length; termId++)
            {
                for (int p = segment.Offsets[termId]; p < segment.Offsets[termId + 1]; p++)
                {
                    int slot = segment.PostingDocuments[p];
                    (perDocument[slot] ??= []).Add((segment.Terms[termId], segment.PostingFrequencies[p]));
                }
            }

            for (int slot = 0; slot < segment.Count; slot++)
            {
                if (deleted is null || !deleted[slot])
                {
                    builder.AddCounted(segment.Ids[slot], segment.Documents[slot], segment.Lengths[slot], perDocument[slot] ?? []);
                    moved.Add(segment.Ids[slot]);
                }
            }
        }

        var merged = builder.Build();
        for (int slot = 0; slot < moved.Count; slot++)
        {
            locations[moved[slot]] = new Location(merged, slot);
        }

        return merged;
    }

    /// <summary>The number of live documents that contain <paramref name="term"/>.</summary>
    private int DocumentFrequency(string term)
    {
        int df = 0;
        foreach (var part in _parts)
        {
            var segment = part.Segment;
            if (!segment.TermIds.TryGetValue(term, out int termId))
            {
                continue;
            }

            if (part.Deleted is not { } deleted)
            {
                df += segment.Offsets[termId + 1] - segment.Offsets[termId];
                continue;
            }

            for (int p = segment.Offsets[termId]; p < segment.Offsets[termId + 1]; p++)
            {
                df += deleted[segment.PostingDocuments[p]] ? 0 : 1;
            }
        }

        return df;
    }

    private Bm25Hit<TDocument>[] TopK(float[] scores, ReadOnlySpan<int> candidates, int top)
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

        var hits = new Bm25Hit<TDocument>[size];
        for (int i = size - 1; i >= 0; i--)
        {
            int d = heap[0];
            var (segment, slot) = Find(d);
            hits[i] = new Bm25Hit<TDocument>(segment.Ids[slot], segment.Documents[slot], scores[d]);
            heap[0] = heap[i];
            SiftDown(heap, i, scores);
        }

        return hits;
    }

    /// <summary>Finds the segment and slot of a global document number.</summary>
    private (Bm25Segment<TDocument> Segment, int Slot) Find(int d)
    {
        int low = 0;
        int high = _parts.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_parts[middle].Base <= d)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return (_parts[low].Segment, d - _parts[low].Base);
    }

    /// <summary>Whether document <paramref name="x"/> ranks above <paramref name="y"/>: higher score, then earlier written.</summary>
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

    /// <summary>A segment in this index: its deleted slots (<see langword="null"/> for none) and the number of its first document.</summary>
    private sealed record Part(Bm25Segment<TDocument> Segment, bool[]? Deleted, int DeletedCount, int Base);

    /// <summary>Where a document lives: its segment and slot.</summary>
    private readonly record struct Location(Bm25Segment<TDocument> Segment, int Slot);
}
