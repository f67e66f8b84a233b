using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// An in-process approximate nearest-neighbour index over float vectors of one fixed dimension: a hierarchical
/// navigable small world graph (HNSW, Malkov and Yashunin, 2016), scored by cosine similarity.
/// </summary>
/// <remarks>
/// <para>
/// Vectors are L2-normalised when they are added and compared by inner product, so every score is a cosine similarity.
/// Each vector gets a dense id (0, 1, 2, ...) in the order it was added. Every vector is assigned a top layer drawn from
/// the geometric distribution of the paper (multiplier 1 / ln M), links to at most M neighbours on each layer above 0 and
/// 2 * M on layer 0, chosen by the paper's heuristic (a candidate is kept only if it is closer to the new vector than to
/// every neighbour kept before it). A search descends greedily from the top layer and ends with a beam search of width
/// efSearch on layer 0.
/// </para>
/// <para>
/// <b>Determinism.</b> The graph depends only on the vectors, the order and grouping of the <c>Add</c>/<c>AddRange</c>
/// calls, and the options other than <see cref="HnswOptions.MaxDegreeOfParallelism"/>: never on thread timing. A
/// vector's layer is a pseudo-random function of <see cref="HnswOptions.Seed"/> and its id (so an index that is saved,
/// loaded and extended equals one that was extended without the round trip), and <c>AddRange</c> inserts in batches:
/// every vector of a batch searches the graph as it was at the start of the batch (in parallel), and then the links are
/// written in an order fixed by the ids. The first 1,024 vectors are inserted one at a time, later batches grow with the
/// index (1/32 of its size, at most 4,096). Vectors of one batch do not see each other while they search, which costs a
/// little recall compared with a strictly sequential build; later vectors repair most of it. Floating-point results,
/// and therefore the graph, can differ between machines whose SIMD width differs.
/// </para>
/// <para>
/// <b>Thread safety.</b> <see cref="Search"/>, <see cref="Save"/> and the properties may run concurrently with each
/// other from any number of threads. <see cref="Add"/>, <see cref="AddRange(ReadOnlySpan{float})"/> and
/// <see cref="Remove"/> need exclusive access: the caller must make sure that nothing else runs on the index while one
/// of them runs (for example with a <see cref="ReaderWriterLockSlim"/>). Two modifications at the same time are detected
/// and fail with <see cref="InvalidOperationException"/>; a search that overlaps a modification is not detected.
/// </para>
/// <para>
/// <b>Removal</b> marks a vector as removed (a tombstone): it is never returned again but still helps searches find
/// their way through the graph, and its memory is kept. Rebuild the index when many vectors have been removed.
/// </para>
/// </remarks>
internal sealed partial class HnswIndex
{
    /// <summary>The largest layer a vector can be assigned to.</summary>
    internal const int MaxLayer = 31;

    /// <summary>Below this many vectors, <c>AddRange</c> inserts one vector at a time.</summary>
    internal const int SequentialThreshold = 1024;

    /// <summary>A batch holds at most 1/<see cref="BatchDivisor"/> of the vectors already in the graph.</summary>
    internal const int BatchDivisor = 32;

    /// <summary>The largest batch.</summary>
    internal const int MaxBatch = 4096;

    private readonly HnswOptions _options;
    private readonly int _dimensions;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _stride0;
    private readonly int _strideUpper;
    private readonly double _levelMultiplier;
    private readonly ConcurrentBag<SearchContext> _contexts = [];

    private float[] _vectors = [];
    private byte[] _levels = [];
    private byte[] _removed = [];
    private int[] _links0 = [];
    private int[]?[] _linksUpper = [];
    private int _nodeCount;
    private int _removedCount;
    private int _entryPoint = -1;
    private int _maxLevel = -1;
    private int _modifying;

    /// <summary>Initializes a new, empty instance of the <see cref="HnswIndex"/> class.</summary>
    /// <param name="dimensions">The number of dimensions of every vector; at least 1.</param>
    /// <param name="options">The index parameters; <see langword="null"/> for the defaults (M 16, efConstruction 200, efSearch 64, seed 42).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public HnswIndex(int dimensions, HnswOptions? options = null)
    {
        Throw.IfLessThan(dimensions, 1);
        _dimensions = dimensions;
        _options = (options ?? new HnswOptions()).Validate();
        _m = _options.M;
        _m0 = 2 * _m;
        _stride0 = _m0 + 1;
        _strideUpper = _m + 1;
        _levelMultiplier = 1 / Math.Log(_m);
    }

    /// <summary>Gets the number of dimensions of every vector.</summary>
    public int Dimensions => _dimensions;

    /// <summary>Gets the number of vectors a search can return: those added and not removed.</summary>
    public int Count => _nodeCount - _removedCount;

    /// <summary>Gets the number of removed vectors. Ids run from 0 to <see cref="Count"/> + <see cref="RemovedCount"/> - 1.</summary>
    public int RemovedCount => _removedCount;

    /// <summary>Gets the number of ids handed out (removed vectors included).</summary>
    internal int NodeCount => _nodeCount;

    /// <summary>Gets a copy of the options of this index.</summary>
    public HnswOptions Options => _options.Clone();

    /// <summary>Adds a vector.</summary>
    /// <param name="vector">The vector, of <see cref="Dimensions"/> finite values, not all zero. It is copied and normalised.</param>
    /// <returns>The id of the vector: the number of vectors added before it.</returns>
    /// <exception cref="ArgumentException"><paramref name="vector"/> has the wrong length, is all zeros or holds a NaN or infinity.</exception>
    /// <exception cref="InvalidOperationException">Another modification of the index is running, or the index is full.</exception>
    public int Add(ReadOnlySpan<float> vector)
    {
        CheckVector(vector, 0, nameof(vector));
        return AddRows(vector, 1);
    }

    /// <summary>Adds vectors given row by row, building the graph with up to <see cref="HnswOptions.MaxDegreeOfParallelism"/> threads.</summary>
    /// <param name="vectors">The vectors, row-major: a multiple of <see cref="Dimensions"/> values. Each row must be finite and not all zero; the rows are copied and normalised.</param>
    /// <returns>The id of the first vector; the others follow consecutively. When <paramref name="vectors"/> is empty, the id the next vector would get.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="vectors"/> is not a multiple of <see cref="Dimensions"/>, or a row is all zeros or holds a NaN or infinity (the message gives the row); nothing is added then.</exception>
    /// <exception cref="InvalidOperationException">Another modification of the index is running, or the index is full.</exception>
    public int AddRange(ReadOnlySpan<float> vectors)
    {
        if (vectors.Length % _dimensions != 0)
        {
            throw new ArgumentException($"The length {vectors.Length} is not a multiple of the index's {_dimensions} dimensions.", nameof(vectors));
        }

        int rows = vectors.Length / _dimensions;
        for (int row = 0; row < rows; row++)
        {
            CheckVector(vectors.Slice(row * _dimensions, _dimensions), row, nameof(vectors));
        }

        return AddRows(vectors, rows);
    }

    /// <summary>Adds vectors, building the graph with up to <see cref="HnswOptions.MaxDegreeOfParallelism"/> threads.</summary>
    /// <param name="vectors">The vectors, each of <see cref="Dimensions"/> finite values, not all zero; they are copied and normalised.</param>
    /// <returns>The id of the first vector; the others follow consecutively. When <paramref name="vectors"/> is empty, the id the next vector would get.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vectors"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A vector has the wrong length, is all zeros or holds a NaN or infinity (the message gives its position); nothing is added then.</exception>
    /// <exception cref="InvalidOperationException">Another modification of the index is running, or the index is full.</exception>
    public int AddRange(IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        Throw.IfNull(vectors);
        var rows = new float[(long)vectors.Count * _dimensions];
        for (int row = 0; row < vectors.Count; row++)
        {
            var vector = vectors[row].Span;
            CheckVector(vector, row, nameof(vectors));
            vector.CopyTo(rows.AsSpan(row * _dimensions, _dimensions));
        }

        return AddRows(rows, vectors.Count);
    }

    /// <summary>Removes a vector from the results of later searches.</summary>
    /// <param name="id">The id of the vector.</param>
    /// <returns><see langword="true"/> if the vector was removed now; <see langword="false"/> if it had been removed before.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not the id of an added vector.</exception>
    /// <exception cref="InvalidOperationException">Another modification of the index is running.</exception>
    public bool Remove(int id)
    {
        CheckId(id);
        BeginModification();
        try
        {
            if (_removed[id] != 0)
            {
                return false;
            }

            _removed[id] = 1;
            _removedCount++;
            return true;
        }
        finally
        {
            EndModification();
        }
    }

    /// <summary>Gets whether a vector has been removed.</summary>
    /// <param name="id">The id of the vector.</param>
    /// <returns><see langword="true"/> if <see cref="Remove"/> removed it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not the id of an added vector.</exception>
    public bool IsRemoved(int id)
    {
        CheckId(id);
        return _removed[id] != 0;
    }

    /// <summary>Finds the vectors most similar to a query.</summary>
    /// <param name="query">The query vector, of <see cref="Dimensions"/> finite values, not all zero; it is normalised (the caller's span is not changed).</param>
    /// <param name="k">The largest number of results; at least 1.</param>
    /// <param name="efSearch">The beam width for this search; <see langword="null"/> for <see cref="HnswOptions.EfSearch"/>. Raised to <paramref name="k"/> when smaller.</param>
    /// <param name="filter">
    /// Returns whether an id may be returned; <see langword="null"/> to allow all. Rejected vectors still guide the search,
    /// so a filter that rejects most vectors makes the search visit much of the graph: for very selective filters an
    /// exact scan of the allowed vectors is faster.
    /// </param>
    /// <returns>Up to <paramref name="k"/> results, most similar first (equal scores: lower id first); fewer when fewer vectors are allowed, empty when the index is empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> has the wrong length, is all zeros or holds a NaN or infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="efSearch"/> is less than 1.</exception>
    public IReadOnlyList<HnswHit> Search(ReadOnlySpan<float> query, int k, int? efSearch = null, Func<int, bool>? filter = null)
    {
        CheckVector(query, 0, nameof(query));
        Throw.IfLessThan(k, 1);
        int ef = Math.Max(k, efSearch is { } value ? Throw.IfLessThan(value, 1, nameof(efSearch)) : _options.EfSearch);
        if (_entryPoint < 0)
        {
            return [];
        }

        var context = RentContext();
        try
        {
            var q = context.Query(_dimensions);
            query.CopyTo(q);
            TensorPrimitives.Divide(q, TensorPrimitives.Norm(q), q);
            var (entry, entrySimilarity) = Descend(q, _entryPoint, _maxLevel, 0);
            bool exclusions = _removedCount > 0 || filter is not null;
            var found = SearchLayer(q, entry, entrySimilarity, 0, ef, context, exclusions, filter);
            var hits = new HnswHit[Math.Min(k, found.Length)];
            for (int i = 0; i < hits.Length; i++)
            {
                hits[i] = new HnswHit(found[i].Id, found[i].Similarity);
            }

            return hits;
        }
        finally
        {
            ReturnContext(context);
        }
    }

    private int AddRows(ReadOnlySpan<float> rows, int count)
    {
        BeginModification();
        try
        {
            int first = _nodeCount;
            if (count == 0)
            {
                return first;
            }

            long total = (long)first + count;
            if (total * _dimensions > Array.MaxLength || total * _stride0 > Array.MaxLength)
            {
                throw new InvalidOperationException($"The index cannot hold {total} vectors of {_dimensions} dimensions: an array would exceed {Array.MaxLength} elements.");
            }

            EnsureCapacity((int)total);
            for (int i = 0; i < count; i++)
            {
                int id = first + i;
                var target = _vectors.AsSpan(id * _dimensions, _dimensions);
                var source = rows.Slice(i * _dimensions, _dimensions);
                TensorPrimitives.Divide(source, TensorPrimitives.Norm(source), target);
                int level = DrawLevel(_options.Seed, id, _levelMultiplier);
                _levels[id] = (byte)level;
                _linksUpper[id] = level > 0 ? new int[level * _strideUpper] : null;
            }

            Build(first, (int)total);
            _nodeCount = (int)total;
            return first;
        }
        finally
        {
            EndModification();
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _levels.Length)
        {
            return;
        }

        int capacity = (int)Math.Min(Math.Max(needed, Math.Max(16, 2L * _levels.Length)), Array.MaxLength / Math.Max(_dimensions, _stride0));
        capacity = Math.Max(capacity, needed);
        Array.Resize(ref _vectors, capacity * _dimensions);
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _removed, capacity);
        Array.Resize(ref _links0, capacity * _stride0);
        Array.Resize(ref _linksUpper, capacity);
    }

    /// <summary>Links the vectors with ids <paramref name="start"/> to <paramref name="end"/> - 1 into the graph, batch by batch.</summary>
    private void Build(int start, int end)
    {
        int next = start;
        while (next < end)
        {
            if (_entryPoint < 0)
            {
                _entryPoint = next;
                _maxLevel = _levels[next];
                next++;
                continue;
            }

            int size = next < SequentialThreshold ? 1 : Math.Min(next / BatchDivisor, MaxBatch);
            int batchEnd = Math.Min(end, next + size);

            // A vector that raises the top layer is inserted alone, so that it becomes the entry point before anything
            // else is linked, as in a sequential build.
            for (int id = next + 1; id < batchEnd; id++)
            {
                if (_levels[id] > _maxLevel)
                {
                    batchEnd = id;
                    break;
                }
            }

            InsertBatch(next, batchEnd);
            if (batchEnd - next == 1 && _levels[next] > _maxLevel)
            {
                _entryPoint = next;
                _maxLevel = _levels[next];
            }

            next = batchEnd;
        }
    }

    private void InsertBatch(int start, int end)
    {
        // 1. Every new vector searches the graph as it was at the start of the batch and chooses its own neighbours.
        //    Nothing links to the new vectors yet, so their searches never see each other and the result does not
        //    depend on the order in which the threads run.
        int entry = _entryPoint;
        int maxLevel = _maxLevel;
        if (end - start == 1 || _options.MaxDegreeOfParallelism == 1)
        {
            var context = RentContext();
            for (int id = start; id < end; id++)
            {
                LinkNewVector(id, entry, maxLevel, context);
            }

            ReturnContext(context);
        }
        else
        {
            Parallel.For(
                start,
                end,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism },
                RentContext,
                (id, _, context) =>
                {
                    LinkNewVector(id, entry, maxLevel, context);
                    return context;
                },
                ReturnContext);
        }

        // 2. Collect the reverse links, ordered by target, layer and source.
        var requests = new List<LinkRequest>();
        for (int id = start; id < end; id++)
        {
            for (int layer = Math.Min(_levels[id], maxLevel); layer >= 0; layer--)
            {
                var links = Links(id, layer);
                for (int i = 1; i <= links[0]; i++)
                {
                    requests.Add(new LinkRequest(links[i], layer, id));
                }
            }
        }

        var sorted = requests.ToArray();
        Array.Sort(sorted);
        var groups = new List<(int Start, int End)>();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i + 1;
            while (j < sorted.Length && sorted[j].Target == sorted[i].Target && sorted[j].Layer == sorted[i].Layer)
            {
                j++;
            }

            groups.Add((i, j));
            i = j;
        }

        // 3. Each existing vector takes its new reverse links; targets are independent of each other.
        if (groups.Count < 64 || _options.MaxDegreeOfParallelism == 1)
        {
            foreach (var (groupStart, groupEnd) in groups)
            {
                AddReverseLinks(sorted.AsSpan(groupStart, groupEnd - groupStart));
            }
        }
        else
        {
            Parallel.For(
                0,
                groups.Count,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism },
                g => AddReverseLinks(sorted.AsSpan(groups[g].Start, groups[g].End - groups[g].Start)));
        }
    }

    /// <summary>Finds the neighbours of a new vector on each of its layers and writes its own links.</summary>
    private void LinkNewVector(int id, int entry, int maxLevel, SearchContext context)
    {
        var q = Vector(id);
        int level = _levels[id];
        var (current, similarity) = Descend(q, entry, maxLevel, level);
        for (int layer = Math.Min(level, maxLevel); layer >= 0; layer--)
        {
            var found = SearchLayer(q, current, similarity, layer, _options.EfConstruction, context, exclusions: false, filter: null);
            var links = Links(id, layer);
            links[0] = SelectNeighbours(found, _m, links[1..]);
            (current, similarity) = found[0];
        }
    }

    /// <summary>Adds links from one existing vector (on one layer) to new vectors, pruning with the heuristic when the list overflows.</summary>
    private void AddReverseLinks(ReadOnlySpan<LinkRequest> requests)
    {
        int target = requests[0].Target;
        int layer = requests[0].Layer;
        int max = layer == 0 ? _m0 : _m;
        var links = Links(target, layer);
        int count = links[0];
        if (count + requests.Length <= max)
        {
            foreach (var request in requests)
            {
                links[++count] = request.Source;
            }

            links[0] = count;
            return;
        }

        for (int i = 1; i <= count; i++)
        {
            HnswDot.Prefetch(ref Row(links[i]), _dimensions);
        }

        var rented = ArrayPool<Neighbour>.Shared.Rent(count + requests.Length);
        var candidates = rented.AsSpan(0, count + requests.Length);
        for (int i = 0; i < count; i++)
        {
            int other = links[i + 1];
            candidates[i] = new Neighbour(other, Similarity(target, other));
        }

        for (int i = 0; i < requests.Length; i++)
        {
            int other = requests[i].Source;
            candidates[count + i] = new Neighbour(other, Similarity(target, other));
        }

        candidates.Sort();
        links[0] = SelectNeighbours(candidates, max, links[1..]);
        ArrayPool<Neighbour>.Shared.Return(rented);
    }

    /// <summary>
    /// The paper's neighbour-selection heuristic: walks the candidates from the most similar and keeps one only if it is
    /// more similar to the base vector than to every neighbour kept so far, up to <paramref name="max"/> neighbours.
    /// </summary>
    /// <param name="sorted">The candidates with their similarity to the base vector, most similar first.</param>
    /// <param name="max">The largest number of neighbours to keep.</param>
    /// <param name="kept">Receives the kept neighbours.</param>
    /// <returns>The number of neighbours kept.</returns>
    private int SelectNeighbours(ReadOnlySpan<Neighbour> sorted, int max, Span<int> kept)
    {
        int count = 0;
        foreach (var (candidate, similarity) in sorted)
        {
            if (count == max)
            {
                break;
            }

            bool keep = true;
            for (int j = 0; j < count; j++)
            {
                if (Similarity(candidate, kept[j]) > similarity)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                kept[count++] = candidate;
            }
        }

        return count;
    }

    /// <summary>Greedy search from the top layer down to the layer above <paramref name="targetLayer"/>.</summary>
    private (int Id, float Similarity) Descend(ReadOnlySpan<float> q, int entry, int fromLayer, int targetLayer)
    {
        int current = entry;
        float best = Similarity(q, current);
        for (int layer = fromLayer; layer > targetLayer; layer--)
        {
            bool moved = true;
            while (moved)
            {
                moved = false;
                var links = Links(current, layer);
                for (int i = 1; i <= links[0]; i++)
                {
                    int other = links[i];
                    float similarity = Similarity(q, other);
                    if (similarity > best)
                    {
                        best = similarity;
                        current = other;
                        moved = true;
                    }
                }
            }
        }

        return (current, best);
    }

    /// <summary>
    /// Beam search of width <paramref name="ef"/> on one layer (the paper's SEARCH-LAYER). With exclusions (removed
    /// vectors or a filter), excluded vectors are explored but not collected, and the search goes on until it has
    /// <paramref name="ef"/> results or runs out of candidates.
    /// </summary>
    /// <returns>The results, most similar first (equal scores: lower id first), in a buffer of the context.</returns>
    private ReadOnlySpan<Neighbour> SearchLayer(ReadOnlySpan<float> q, int entry, float entrySimilarity, int layer, int ef, SearchContext context, bool exclusions, Func<int, bool>? filter)
    {
        context.Begin(_levels.Length);
        var candidates = context.Candidates;
        var results = context.Results;
        context.Visit(entry);
        candidates.Push(entry, -entrySimilarity);
        if (!exclusions || Allowed(entry, filter))
        {
            results.Push(entry, entrySimilarity);
        }

        float worst = results.Count > 0 ? entrySimilarity : float.NegativeInfinity;
        while (candidates.TryPop(out int current, out float negated))
        {
            if (-negated < worst && (results.Count == ef || !exclusions))
            {
                break;
            }

            // Mark the unvisited neighbours and ask the CPU to load their rows before the first inner product: the rows
            // are scattered over the whole vector array, so each one is a cache miss that would otherwise stall the
            // inner product. The neighbours are then scored in the same order as before, so the result is unchanged.
            var links = Links(current, layer);
            if (layer == 0 && candidates.Count > 0)
            {
                // Probably the next vector to expand: load its link list while this one is scored.
                HnswDot.Prefetch(ref Unsafe.As<int, float>(ref _links0[candidates.MinId * _stride0]), _stride0);
            }

            var fresh = context.Fresh(links.Length);
            int freshCount = 0;
            for (int i = 1; i <= links[0]; i++)
            {
                int other = links[i];
                if (context.Visit(other))
                {
                    fresh[freshCount++] = other;
                    HnswDot.Prefetch(ref Row(other), _dimensions);
                }
            }

            foreach (int other in fresh[..freshCount])
            {
                float similarity = Similarity(q, other);
                if (results.Count < ef || similarity > worst)
                {
                    candidates.Push(other, -similarity);
                    if (!exclusions || Allowed(other, filter))
                    {
                        results.Push(other, similarity);
                        if (results.Count > ef)
                        {
                            results.Pop();
                        }

                        worst = results.MinPriority;
                    }
                }
            }
        }

        return context.Drain();
    }

    private bool Allowed(int id, Func<int, bool>? filter) => _removed[id] == 0 && (filter is null || filter(id));

    /// <summary>Gets the stored (normalised) vector of <paramref name="id"/>.</summary>
    internal ReadOnlySpan<float> Vector(int id) => _vectors.AsSpan(id * _dimensions, _dimensions);

    private ref float Row(int id) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_vectors), (nint)id * _dimensions);

    /// <summary>The similarity of a query (of <see cref="Dimensions"/> values, normalised) to a stored vector.</summary>
    private float Similarity(ReadOnlySpan<float> q, int id) => HnswDot.Dot(ref MemoryMarshal.GetReference(q), ref Row(id), _dimensions);

    /// <summary>The similarity of two stored vectors.</summary>
    private float Similarity(int a, int b) => HnswDot.Dot(ref Row(a), ref Row(b), _dimensions);

    /// <summary>The link list of a vector on a layer: element 0 is the number of links, the links follow.</summary>
    private Span<int> Links(int id, int layer) =>
        layer == 0 ? _links0.AsSpan(id * _stride0, _stride0) : _linksUpper[id].AsSpan((layer - 1) * _strideUpper, _strideUpper);

    /// <summary>Draws the top layer of a vector: floor(-ln(u) / ln(M)) for a uniform u in (0, 1] derived from the seed and the id.</summary>
    internal static int DrawLevel(int seed, int id, double multiplier)
    {
        // SplitMix64 of (seed, id): a stateless seeded generator, so a vector's layer does not depend on what was added before.
        ulong z = ((ulong)(uint)seed << 32) | (uint)id;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return (int)Math.Min(MaxLayer, Math.Floor(-Math.Log(u) * multiplier));
    }

    private void CheckVector(ReadOnlySpan<float> vector, int row, string paramName)
    {
        if (vector.Length != _dimensions)
        {
            throw new ArgumentException($"The vector at position {row} has {vector.Length} values but the index has {_dimensions} dimensions.", paramName);
        }

        bool nonZero = false;
        foreach (float value in vector)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"The vector at position {row} holds {value}; every value must be finite.", paramName);
            }

            nonZero |= value != 0;
        }

        if (!nonZero)
        {
            throw new ArgumentException($"The vector at position {row} is all zeros; it has no direction, so its cosine similarity is undefined.", paramName);
        }

        float norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0) || float.IsInfinity(norm))
        {
            throw new ArgumentException($"The vector at position {row} has length {norm} in single precision, too small or too large to normalise; scale it first.", paramName);
        }
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_nodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"The id must be the id of an added vector, from 0 to {_nodeCount - 1}.");
        }
    }

    private void BeginModification()
    {
        if (Interlocked.Exchange(ref _modifying, 1) != 0)
        {
            throw new InvalidOperationException("Another modification of the HNSW index is running; Add, AddRange and Remove need exclusive access to the index.");
        }
    }

    private void EndModification() => Volatile.Write(ref _modifying, 0);

    private SearchContext RentContext() => _contexts.TryTake(out var context) ? context : new SearchContext();

    private void ReturnContext(SearchContext context) => _contexts.Add(context);

    /// <summary>A candidate neighbour and its similarity to a base vector; sorts most similar first, then by id.</summary>
    internal readonly record struct Neighbour(int Id, float Similarity) : IComparable<Neighbour>
    {
        public int CompareTo(Neighbour other)
        {
            int bySimilarity = other.Similarity.CompareTo(Similarity);
            return bySimilarity != 0 ? bySimilarity : Id.CompareTo(other.Id);
        }
    }

    /// <summary>A link to add from <see cref="Target"/> on <see cref="Layer"/> to the new vector <see cref="Source"/>.</summary>
    private readonly record struct LinkRequest(int Target, int Layer, int Source) : IComparable<LinkRequest>
    {
        public int CompareTo(LinkRequest other)
        {
            int c = Target.CompareTo(other.Target);
            if (c == 0)
            {
                c = Layer.CompareTo(other.Layer);
            }

            return c != 0 ? c : Source.CompareTo(other.Source);
        }
    }
}
