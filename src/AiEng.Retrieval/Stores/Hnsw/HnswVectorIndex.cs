using System.Buffers;
using System.Numerics.Tensors;

namespace AiEng.Retrieval;

/// <summary>
/// The <see cref="IVectorIndex"/> of in-memory collections whose vector property asks for <c>IndexKind.Hnsw</c>: an
/// <see cref="HnswIndex"/> finds the candidates, and every candidate is rescored exactly against the store's
/// <see cref="VectorMatrix"/>, so scores and tie order (by key) are those of the exact scan.
/// </summary>
/// <remarks>
/// <para>
/// Store slots map to graph ids (<c>slot -&gt; id</c> and back). Replacing a slot's vector removes its graph node (a
/// tombstone) and adds a new one; removing a slot tombstones its node. The store hands over each upsert batch in
/// <see cref="SetRange"/> calls of a few hundred slots, which the graph builds in parallel. The store's write lock
/// serialises these calls, as <see cref="HnswIndex"/> requires, its read lock lets searches run together, and searches
/// run between the calls of a large batch (they may walk its new nodes, but the store refuses their slots until the
/// batch is published).
/// </para>
/// <para>
/// A search asks the graph for its whole beam (efSearch candidates, at least top) with the store's filter applied inside
/// the graph walk, then rescores. It falls back to the exact scan when the query has no direction (all zeros), when a
/// sample of 64 slots suggests that fewer than 5% of the records pass the filter (the walk would visit most of the graph
/// anyway), and when the graph returns fewer candidates than asked for (so a filter never costs results that exist).
/// Vectors the graph cannot hold (all zeros, not finite, or with a norm that underflows or overflows in single precision)
/// are kept outside it and scanned on every search.
/// </para>
/// </remarks>
internal sealed class HnswVectorIndex : IVectorIndex
{
    /// <summary>The number of slots sampled to estimate how selective a filter is.</summary>
    internal const int FilterSampleSize = 64;

    /// <summary>Below this percentage of sampled slots passing the filter, the search scans exactly.</summary>
    internal const int SelectiveFilterPercent = 5;

    /// <summary>The most vectors <see cref="SetRange"/> hands to the graph in one <see cref="HnswIndex.AddRange(ReadOnlySpan{float})"/> call.</summary>
    internal const int MaxRowsPerAdd = 16_384;

    private readonly VectorMatrix _matrix;
    private readonly VectorMetric _metric;
    private readonly ExactVectorIndex _exact;
    private readonly HashSet<int> _outside = [];
    private HnswIndex _graph;
    private int[] _slotToId = [];
    private int[] _idToSlot = [];

    /// <summary>Initializes a new instance of the <see cref="HnswVectorIndex"/> class.</summary>
    /// <param name="matrix">The collection's float matrix.</param>
    /// <param name="metric">A cosine metric (the graph compares directions only).</param>
    /// <param name="options">Validated graph options.</param>
    public HnswVectorIndex(VectorMatrix matrix, VectorMetric metric, HnswOptions options)
    {
        _matrix = matrix;
        _metric = metric;
        _exact = new ExactVectorIndex(matrix, metric);
        _graph = new HnswIndex(matrix.Dimensions, options);
    }

    /// <summary>Gets the graph (for tests and persistence).</summary>
    internal HnswIndex Graph => _graph;

    /// <summary>Gets the number of live vectors kept outside the graph.</summary>
    internal int OutsideCount => _outside.Count;

    /// <inheritdoc/>
    public void EnsureCapacity(int slots)
    {
        if (_slotToId.Length < slots)
        {
            int old = _slotToId.Length;
            Array.Resize(ref _slotToId, slots);
            _slotToId.AsSpan(old).Fill(-1);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Every slot is detached first (a replaced vector's node becomes a tombstone), vectors the graph cannot hold are kept
    /// outside it, and the others are added in the order of <paramref name="slots"/> with
    /// <see cref="HnswIndex.AddRange(ReadOnlySpan{float})"/> (one call per <see cref="MaxRowsPerAdd"/> vectors, which bounds
    /// the copy it needs), building on up to <see cref="HnswOptions.MaxDegreeOfParallelism"/> threads a graph that does
    /// not depend on the thread count.
    /// </remarks>
    public void SetRange(ReadOnlySpan<int> slots)
    {
        int highest = -1;
        foreach (int slot in slots)
        {
            highest = Math.Max(highest, slot);
        }

        EnsureCapacity(highest + 1);
        int dimensions = _matrix.Dimensions;
        float[]? rows = null;
        var added = new int[Math.Min(slots.Length, MaxRowsPerAdd)];
        int count = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            int slot = slots[i];
            Detach(slot);
            var row = _matrix.Row(slot);
            if (!IsIndexable(row))
            {
                _outside.Add(slot);
            }
            else
            {
                rows ??= GC.AllocateUninitializedArray<float>(added.Length * dimensions);
                row.CopyTo(rows.AsSpan(count * dimensions, dimensions));
                added[count++] = slot;
            }

            if (count == added.Length || (i == slots.Length - 1 && count > 0))
            {
                Insert(rows.AsSpan(0, count * dimensions), added.AsSpan(0, count));
                count = 0;
            }
        }
    }

    // Adds the rows to the graph and maps their ids to the slots.
    private void Insert(ReadOnlySpan<float> rows, ReadOnlySpan<int> slots)
    {
        int first = _graph.AddRange(rows);
        if (first + slots.Length > _idToSlot.Length)
        {
            Array.Resize(ref _idToSlot, Math.Max(first + slots.Length, Math.Max(16, _idToSlot.Length * 2)));
        }

        for (int i = 0; i < slots.Length; i++)
        {
            _idToSlot[first + i] = slots[i];
            _slotToId[slots[i]] = first + i;
        }
    }

    /// <summary>Replaces the graph with a loaded one whose nodes are not yet mapped to slots (the store must be empty).</summary>
    internal void Attach(HnswIndex graph)
    {
        _graph = graph;
        _idToSlot = new int[Math.Max(16, graph.NodeCount)];
        _idToSlot.AsSpan().Fill(-1);
        _slotToId.AsSpan().Fill(-1);
        _outside.Clear();
    }

    /// <summary>
    /// Maps <paramref name="slot"/> to loaded node <paramref name="id"/> when that node holds the direction of the vector
    /// just written to row <paramref name="slot"/> of the matrix; otherwise removes the node, and the caller must set the
    /// slot (with <see cref="SetRange"/>).
    /// </summary>
    /// <returns><see langword="true"/> when the node was reused.</returns>
    internal bool TryReuse(int slot, int id)
    {
        EnsureCapacity(slot + 1);
        Detach(slot);
        var vector = _matrix.Row(slot);
        if (!_graph.IsRemoved(id) && IsIndexable(vector) && SameDirection(_graph.Vector(id), vector))
        {
            _idToSlot[id] = slot;
            _slotToId[slot] = id;
            return true;
        }

        RemoveUnmapped(id);
        return false;
    }

    /// <summary>Removes a loaded node no slot uses.</summary>
    internal void RemoveUnmapped(int id)
    {
        if (!_graph.IsRemoved(id))
        {
            _graph.Remove(id);
        }
    }

    /// <summary>Gets the slot of graph node <paramref name="id"/>, or -1.</summary>
    internal int SlotOf(int id) => id < _idToSlot.Length ? _idToSlot[id] : -1;

    /// <inheritdoc/>
    public void Remove(int slot)
    {
        if (slot < _slotToId.Length)
        {
            Detach(slot);
        }
    }

    /// <inheritdoc/>
    public void Search(ReadOnlySpan<float> query, int slotCount, Func<int, bool> accept, TopKHeap results)
    {
        int k = results.Capacity;
        if (!IsIndexable(query) || _graph.Count == 0 || IsSelective(slotCount, accept))
        {
            _exact.Search(query, slotCount, accept, results);
            return;
        }

        int ef = Math.Max(_graph.Options.EfSearch, k);
        var idToSlot = _idToSlot;
        var hits = _graph.Search(query, ef, ef, id => idToSlot[id] is int slot && slot >= 0 && slot < slotCount && accept(slot));
        if (hits.Count < Math.Min(k, _graph.Count))
        {
            // The walk found fewer allowed vectors than asked for; some may exist elsewhere in the graph.
            _exact.Search(query, slotCount, accept, results);
            return;
        }

        var buffer = ArrayPool<float>.Shared.Rent(query.Length);
        try
        {
            var prepared = VectorMetrics.PrepareQuery(_metric, query, buffer.AsSpan(0, query.Length));
            foreach (var hit in hits)
            {
                int slot = idToSlot[hit.Id];
                results.Offer(ExactVectorIndex.Score(_matrix, _metric, slot, prepared), slot);
            }

            foreach (int slot in _outside)
            {
                if (slot < slotCount && accept(slot))
                {
                    results.Offer(ExactVectorIndex.Score(_matrix, _metric, slot, prepared), slot);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    // The graph needs finite values and a norm it can divide by (not zero, not overflowing in single precision).
    private static bool IsIndexable(ReadOnlySpan<float> vector)
    {
        foreach (float value in vector)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        float norm = TensorPrimitives.Norm(vector);
        return norm > 0 && float.IsFinite(norm);
    }

    // The graph keeps vectors normalised exactly as here (divide by the norm), so an unchanged vector compares equal.
    private static bool SameDirection(ReadOnlySpan<float> stored, ReadOnlySpan<float> vector)
    {
        var buffer = ArrayPool<float>.Shared.Rent(vector.Length);
        try
        {
            var normalised = buffer.AsSpan(0, vector.Length);
            vector.CopyTo(normalised);
            TensorPrimitives.Divide(normalised, TensorPrimitives.Norm(normalised), normalised);
            return normalised.SequenceEqual(stored);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    // Estimates the share of slots that pass the filter from an evenly spread sample; true when it is very small.
    private static bool IsSelective(int slotCount, Func<int, bool> accept)
    {
        if (slotCount == 0)
        {
            return true;
        }

        int step = Math.Max(1, slotCount / FilterSampleSize);
        int sampled = 0, passed = 0;
        for (int slot = 0; slot < slotCount; slot += step)
        {
            sampled++;
            if (accept(slot))
            {
                passed++;
            }
        }

        return passed * 100 < sampled * SelectiveFilterPercent;
    }

    private void Detach(int slot)
    {
        _outside.Remove(slot);
        int id = _slotToId[slot];
        if (id >= 0)
        {
            _graph.Remove(id);
            _idToSlot[id] = -1;
            _slotToId[slot] = -1;
        }
    }
}
