namespace AiEng.Retrieval;

/// <summary>
/// Keeps the best <c>capacity</c> candidates of a scan in a bounded heap whose root is the worst kept one, so a scan of n
/// rows costs O(n log k) and O(k) memory. Ties of score are broken by key order (smaller key first), so results are
/// deterministic.
/// </summary>
/// <typeparam name="TKey">The record key type.</typeparam>
internal sealed class TopKHeap<TKey>
    where TKey : notnull
{
    private readonly PriorityQueue<Candidate, Candidate> _heap;
    private readonly VectorScorer _scorer;
    private readonly IComparer<TKey> _keys;
    private readonly int _capacity;

    /// <summary>Initializes a new instance of the <see cref="TopKHeap{TKey}"/> class.</summary>
    public TopKHeap(int capacity, VectorScorer scorer, IComparer<TKey> keys)
    {
        _capacity = capacity;
        _scorer = scorer;
        _keys = keys;

        // The queue dequeues its minimum: order it "worst first" so the root is the candidate to evict.
        _heap = new PriorityQueue<Candidate, Candidate>(Comparer<Candidate>.Create((a, b) => CompareRank(b, a)));
    }

    /// <summary>Offers a scanned row; <paramref name="readKey"/> is called only when the key is needed.</summary>
    public void Offer<TState>(double score, long rowId, Func<TState, TKey> readKey, TState state)
    {
        if (_heap.Count < _capacity)
        {
            var candidate = new Candidate(score, rowId, readKey(state));
            _heap.Enqueue(candidate, candidate);
            return;
        }

        var worst = _heap.Peek();
        var byScore = _scorer.CompareRank(score, worst.Score);
        if (byScore > 0)
        {
            return;
        }

        var key = readKey(state);
        if (byScore == 0 && _keys.Compare(key, worst.Key) >= 0)
        {
            return;
        }

        var better = new Candidate(score, rowId, key);
        _heap.EnqueueDequeue(better, better);
    }

    /// <summary>Returns the kept candidates, best first.</summary>
    public List<Candidate> ToRankedList()
    {
        var list = new List<Candidate>(_heap.Count);
        foreach (var (element, _) in _heap.UnorderedItems)
        {
            list.Add(element);
        }

        list.Sort(CompareRank);
        return list;
    }

    private int CompareRank(Candidate a, Candidate b)
    {
        var byScore = _scorer.CompareRank(a.Score, b.Score);
        return byScore != 0 ? byScore : _keys.Compare(a.Key, b.Key);
    }

    /// <summary>A kept row.</summary>
    /// <param name="Score">The similarity or distance.</param>
    /// <param name="RowId">The SQLite rowid, to fetch the record.</param>
    /// <param name="Key">The record key, for ties.</param>
    internal readonly record struct Candidate(double Score, long RowId, TKey Key);
}
