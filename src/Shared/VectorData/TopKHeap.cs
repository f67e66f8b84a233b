namespace AiEng.Retrieval;

/// <summary>
/// A bounded min-heap that keeps the <c>k</c> best (score, id) pairs of a scan: the root is the worst kept pair, so a
/// candidate is compared once against it. Equal scores are ordered by <c>tieBreak</c> (by default the smaller id first),
/// which makes results deterministic. NaN scores are never kept. Reusable through <see cref="Reset"/>; not thread-safe.
/// </summary>
/// <remarks>
/// Part of the store kernel shared by every AiEng store (compiled into each package from <c>src/Shared/VectorData</c>).
/// Storage grows on demand up to the capacity, so a large <c>top</c> over a small collection allocates little.
/// </remarks>
internal sealed class TopKHeap
{
    private const int InitialStorage = 256;

    private readonly Comparison<int>? _tieBreak;
    private float[] _scores;
    private int[] _ids;
    private int _capacity;

    /// <summary>Initializes a new instance of the <see cref="TopKHeap"/> class.</summary>
    /// <param name="capacity">The number of pairs to keep (at least 1).</param>
    /// <param name="tieBreak">Orders the ids of equal scores: negative when the first ranks before the second.</param>
    public TopKHeap(int capacity, Comparison<int>? tieBreak = null)
    {
        _tieBreak = tieBreak;
        _capacity = Math.Max(1, capacity);
        _scores = new float[Math.Min(_capacity, InitialStorage)];
        _ids = new int[_scores.Length];
    }

    /// <summary>Gets the number of kept pairs.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the tie break of equal scores, or <see langword="null"/> for the smaller id first.</summary>
    public Comparison<int>? TieBreak => _tieBreak;

    /// <summary>Gets the number of pairs the heap keeps.</summary>
    public int Capacity => _capacity;

    /// <summary>
    /// Gets the score a candidate must reach to be considered: negative infinity until the heap is full, then the worst
    /// kept score (a candidate equal to it may still win on the tie break).
    /// </summary>
    public float Threshold => Count < _capacity ? float.NegativeInfinity : _scores[0];

    /// <summary>Empties the heap and sets a new capacity.</summary>
    public void Reset(int capacity)
    {
        _capacity = Math.Max(1, capacity);
        if (_scores.Length < Math.Min(_capacity, InitialStorage))
        {
            _scores = new float[Math.Min(_capacity, InitialStorage)];
            _ids = new int[_scores.Length];
        }

        Count = 0;
    }

    /// <summary>Offers a candidate; NaN scores are ignored.</summary>
    public void Offer(float score, int id) => OfferAndRelease(score, id);

    /// <summary>
    /// Offers a candidate and returns the id the heap no longer holds: -1 when the heap was not full and took the
    /// candidate, the evicted id when the candidate replaced the worst kept pair, or <paramref name="id"/> itself when
    /// the candidate was rejected (a NaN score is always rejected). A caller that keeps per-candidate data in a pool
    /// indexed by id (as the SQLite scan keeps keys and rowids) reuses the released id for its next candidate.
    /// </summary>
    public int OfferAndRelease(float score, int id)
    {
        if (float.IsNaN(score))
        {
            return id;
        }

        if (Count < _capacity)
        {
            if (Count == _scores.Length)
            {
                Grow();
            }

            int i = Count++;
            _scores[i] = score;
            _ids[i] = id;
            SiftUp(i);
            return -1;
        }

        if (Before(score, id, _scores[0], _ids[0]))
        {
            int evicted = _ids[0];
            _scores[0] = score;
            _ids[0] = id;
            SiftDown(0);
            return evicted;
        }

        return id;
    }

    /// <summary>Removes every pair into <paramref name="ids"/> and <paramref name="scores"/>, best first.</summary>
    /// <returns>The number of pairs written.</returns>
    public int Drain(Span<int> ids, Span<float> scores)
    {
        int n = Count;
        for (int i = n - 1; i >= 0; i--)
        {
            ids[i] = _ids[0];
            scores[i] = _scores[0];
            Count--;
            if (Count > 0)
            {
                _scores[0] = _scores[Count];
                _ids[0] = _ids[Count];
                SiftDown(0);
            }
        }

        return n;
    }

    private void Grow()
    {
        int size = (int)Math.Min((long)_scores.Length * 2, _capacity);
        Array.Resize(ref _scores, size);
        Array.Resize(ref _ids, size);
    }

    // True when (sa, ia) ranks before (sb, ib).
    private bool Before(float sa, int ia, float sb, int ib) =>
        sa > sb || (sa == sb && (_tieBreak is null ? ia < ib : _tieBreak(ia, ib) < 0));

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(_scores[parent], _ids[parent], _scores[i], _ids[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= Count)
            {
                break;
            }

            int worst = left;
            int right = left + 1;
            if (right < Count && Before(_scores[left], _ids[left], _scores[right], _ids[right]))
            {
                worst = right;
            }

            if (!Before(_scores[i], _ids[i], _scores[worst], _ids[worst]))
            {
                break;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_ids[a], _ids[b]) = (_ids[b], _ids[a]);
    }
}
