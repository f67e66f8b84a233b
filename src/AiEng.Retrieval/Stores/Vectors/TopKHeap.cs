namespace AiEng.Retrieval;

/// <summary>
/// A bounded min-heap that keeps the <c>k</c> best (score, id) pairs of a scan: the root is the worst kept pair, so a
/// candidate is compared once against it. Equal scores are ordered by <c>tieBreak</c> (by default the smaller id first),
/// which makes results deterministic. Reusable through <see cref="Reset"/>; not thread-safe.
/// </summary>
internal sealed class TopKHeap
{
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
        _scores = new float[Math.Max(1, capacity)];
        _ids = new int[_scores.Length];
        _capacity = Math.Max(1, capacity);
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
        if (_scores.Length < _capacity)
        {
            _scores = new float[_capacity];
            _ids = new int[_capacity];
        }

        Count = 0;
    }

    /// <summary>Offers a candidate; NaN scores are ignored.</summary>
    public void Offer(float score, int id)
    {
        if (float.IsNaN(score))
        {
            return;
        }

        if (Count < _capacity)
        {
            int i = Count++;
            _scores[i] = score;
            _ids[i] = id;
            SiftUp(i);
        }
        else if (Before(score, id, _scores[0], _ids[0]))
        {
            _scores[0] = score;
            _ids[0] = id;
            SiftDown(0);
        }
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
