using System.Runtime.ExceptionServices;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// The data of one in-memory collection: records by key in slots, their vectors in one <see cref="VectorMatrix"/> row per
/// slot, and the <see cref="IVectorIndex"/> that searches them. A <see cref="ReaderWriterLockSlim"/> lets searches and
/// reads run together and makes every write (a whole batch, or a delete-and-upsert replacement) atomic to them. Freed
/// slots are reused; deleted rows are zeroed. A batch's vectors are staged in free slots and the index learns them in
/// <see cref="IVectorIndex.SetRange"/> calls of <see cref="IndexSliceSlots"/> slots, releasing the lock between them so
/// that searches are not held off for a whole graph build; the records are published together at the end (see
/// <see cref="Write"/>).
/// </summary>
internal sealed class InMemoryCollectionStorage<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    /// <summary>How many slots the index learns under one hold of the write lock; searches run between the slices.</summary>
    internal const int IndexSliceSlots = 256;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _writeGate = new();
    private readonly Dictionary<TKey, int> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly VectorMatrix _matrix;
    private readonly IVectorIndex _index;
    private readonly IComparer<TKey> _keyComparer;
    private readonly Comparison<int> _slotTieBreak;
    private Dictionary<TKey, int>? _loadedIds;
    private TKey[] _keys;
    private TRecord?[] _records;
    private int _slotCount;

    /// <summary>Initializes a new instance of the <see cref="InMemoryCollectionStorage{TKey, TRecord}"/> class.</summary>
    public InMemoryCollectionStorage(RecordModel model, VectorMetric metric, InMemoryVectorStoreOptions options)
    {
        Model = model;
        Metric = metric;
        _matrix = new VectorMatrix(model.Dimensions);
        _index = VectorIndexFactory.Create(model, metric, _matrix, options);
        _keys = new TKey[_matrix.Capacity];
        _records = new TRecord?[_matrix.Capacity];
        _keyComparer = typeof(TKey) == typeof(string) ? (IComparer<TKey>)StringComparer.Ordinal : Comparer<TKey>.Default;
        _slotTieBreak = (a, b) => _keyComparer.Compare(_keys[a], _keys[b]);
    }

    /// <summary>Gets the record model.</summary>
    public RecordModel Model { get; }

    /// <summary>Gets the distance metric.</summary>
    public VectorMetric Metric { get; }

    /// <summary>Gets the vector index (for tests).</summary>
    internal IVectorIndex Index => _index;

    /// <summary>Gets or sets what runs after each slice of a write's index build, outside the lock (a test holds the writer there).</summary>
    internal Action? SliceIndexed { get; set; }

    /// <summary>Returns a copy of the record stored under <paramref name="key"/>, or <see langword="null"/>.</summary>
    public TRecord? Get(TKey key, bool includeVectors)
    {
        _lock.EnterReadLock();
        try
        {
            return _slots.TryGetValue(key, out int slot) ? Output(slot, includeVectors) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Returns copies of the records stored under <paramref name="keys"/>, skipping missing keys.</summary>
    public List<TRecord> Get(IEnumerable<TKey> keys, bool includeVectors)
    {
        var found = new List<TRecord>();
        _lock.EnterReadLock();
        try
        {
            foreach (var key in keys)
            {
                if (_slots.TryGetValue(key, out int slot))
                {
                    found.Add(Output(slot, includeVectors));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return found;
    }

    /// <summary>
    /// Deletes <paramref name="deletes"/>, then inserts or replaces <paramref name="upserts"/>, as one atomic step: a search
    /// or read sees the collection before the write or after it, never a part of it.
    /// </summary>
    /// <param name="deletes">The keys to delete; missing keys are ignored.</param>
    /// <param name="upserts">Validated records: the key, a vector-less copy to keep, and the vector.</param>
    /// <remarks>
    /// A write has three steps, so that a large batch does not hold off searches for its whole index build (an HNSW graph
    /// takes seconds for ten thousand vectors). 1: under the write lock, each record's vector goes to a free slot of the
    /// matrix (a replaced record too: its live slot stays as it is), with no record in the slot, so searches skip it.
    /// 2: the index learns the new slots <see cref="IndexSliceSlots"/> at a time, each slice under the write lock, and
    /// searches run between the slices (they may walk the new graph nodes but never return them). 3: under the write lock,
    /// the deletes are applied and the new records published at once, the slots they replace freed. Writes are serialised
    /// by a gate of their own, so a second write waits for the first to publish.
    /// </remarks>
    public void Write(IEnumerable<TKey> deletes, IReadOnlyList<(TKey Key, TRecord Record, ReadOnlyMemory<float> Vector)> upserts)
    {
        lock (_writeGate)
        {
            // A key given twice keeps its last record and vector, in the slot its first occurrence took.
            var staged = new Dictionary<TKey, (int Slot, TRecord Record)>(upserts.Count);
            var pending = new int[upserts.Count];
            int pendingCount = 0;
            ExceptionDispatchInfo? failure = null;
            try
            {
                _lock.EnterWriteLock();
                try
                {
                    foreach (var (key, record, vector) in upserts)
                    {
                        if (!staged.TryGetValue(key, out var stage))
                        {
                            stage = (_free.Count > 0 ? _free.Pop() : NewSlot(), record);
                            pending[pendingCount++] = stage.Slot;
                        }

                        staged[key] = stage with { Record = record };
                        _matrix.Set(stage.Slot, vector.Span);
                    }
                }
                catch (Exception ex)
                {
                    // A record failed half-way (the matrix cannot grow): the ones staged before it are still indexed and published.
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
                finally
                {
                    _lock.ExitWriteLock();
                }

                // Vectors of a saved graph (LoadIndexAsync) reuse their node when their direction is unchanged.
                if (_loadedIds is not null)
                {
                    pendingCount = ReuseLoadedNodes(staged, pending, pendingCount);
                }

                for (int start = 0; start < pendingCount; start += IndexSliceSlots)
                {
                    _lock.EnterWriteLock();
                    try
                    {
                        _index.SetRange(pending.AsSpan(start, Math.Min(IndexSliceSlots, pendingCount - start)));
                    }
                    finally
                    {
                        _lock.ExitWriteLock();
                    }

                    SliceIndexed?.Invoke();
                }
            }
            finally
            {
                Publish(deletes, staged);
            }

            failure?.Throw();
        }
    }

    /// <summary>Returns the best records for <paramref name="query"/>, best first.</summary>
    public List<VectorSearchResult<TRecord>> Search(
        ReadOnlySpan<float> query, int top, int skip, Func<TRecord, bool>? filter, double? scoreThreshold, bool includeVectors)
    {
        var results = new List<VectorSearchResult<TRecord>>();
        _lock.EnterReadLock();
        try
        {
            int wanted = (int)Math.Min((long)top + skip, int.MaxValue);
            var heap = new TopKHeap(Math.Min(wanted, Math.Max(1, _slots.Count)), _slotTieBreak);
            var records = _records;
            Func<int, bool> accept = filter is null
                ? slot => records[slot] is not null
                : slot => records[slot] is { } record && Matches(filter, record);
            _index.Search(query, _slotCount, accept, heap);

            int count = heap.Count;
            Span<int> slots = count <= 256 ? stackalloc int[count] : new int[count];
            Span<float> scores = count <= 256 ? stackalloc float[count] : new float[count];
            heap.Drain(slots, scores);
            for (int i = skip; i < count; i++)
            {
                double score = VectorMetrics.ToScore(Metric, scores[i]);
                if (!VectorMetrics.Passes(Metric, score, scoreThreshold))
                {
                    break;
                }

                results.Add(new VectorSearchResult<TRecord>(Output(slots[i], includeVectors), score));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return results;
    }

    /// <summary>Returns up to <paramref name="top"/> records matching <paramref name="filter"/> after <paramref name="skip"/>, in key order unless <paramref name="order"/> sorts them.</summary>
    public List<TRecord> Query(
        Func<TRecord, bool> filter, int top, int skip, IReadOnlyList<(Func<TRecord, object?> Selector, bool Ascending)> order, bool includeVectors)
    {
        _lock.EnterReadLock();
        try
        {
            var matches = new List<int>();
            for (int slot = 0; slot < _slotCount; slot++)
            {
                if (_records[slot] is { } record && Matches(filter, record))
                {
                    matches.Add(slot);
                }
            }

            IOrderedEnumerable<int>? sorted = null;
            foreach (var (selector, ascending) in order)
            {
                Func<int, object?> key = slot => selector(_records[slot]!);
                sorted = sorted is null
                    ? (ascending ? matches.OrderBy(key, Comparer<object?>.Default) : matches.OrderByDescending(key, Comparer<object?>.Default))
                    : (ascending ? sorted.ThenBy(key, Comparer<object?>.Default) : sorted.ThenByDescending(key, Comparer<object?>.Default));
            }

            var ordered = sorted is null ? matches.OrderBy(slot => _keys[slot], _keyComparer) : sorted.ThenBy(slot => _keys[slot], _keyComparer);
            return [.. ordered.Skip(skip).Take(top).Select(slot => Output(slot, includeVectors))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Writes the HNSW graph and the key of each of its nodes.</summary>
    /// <exception cref="InvalidOperationException">The collection does not use an HNSW index.</exception>
    public void SaveIndex(Stream stream)
    {
        var index = Hnsw("SaveIndexAsync");
        using var gate = _writeGate.EnterScope(); // a write in progress has graph nodes whose keys are not published yet
        _lock.EnterReadLock();
        try
        {
            var graph = index.Graph;
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(KeyTableMagic);
            writer.Write(graph.NodeCount);
            for (int id = 0; id < graph.NodeCount; id++)
            {
                int slot = index.SlotOf(id);
                writer.Write(slot >= 0);
                if (slot >= 0)
                {
                    WriteKey(writer, _keys[slot]);
                }
            }

            writer.Flush();
            graph.Save(stream);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Reads what <see cref="SaveIndex"/> wrote into this empty collection's index; later upserts of the saved keys reuse their nodes.</summary>
    /// <exception cref="InvalidOperationException">The collection does not use an HNSW index, or is not empty.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a saved index.</exception>
    /// <exception cref="ArgumentException">The saved graph has another number of dimensions.</exception>
    public void LoadIndex(Stream stream)
    {
        var index = Hnsw("LoadIndexAsync");
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadInt64() != KeyTableMagic)
        {
            throw new InvalidDataException("The stream does not start with an AiEng in-memory collection index (written by SaveIndexAsync).");
        }

        int count = reader.ReadInt32();
        var ids = new Dictionary<TKey, int>();
        for (int id = 0; id < count; id++)
        {
            if (reader.ReadBoolean())
            {
                ids[ReadKey(reader)] = id;
            }
        }

        var graph = HnswIndex.Load(stream);
        if (graph.Dimensions != Model.Dimensions || graph.NodeCount != count)
        {
            throw new ArgumentException(
                $"The saved index does not fit this collection: expected {Model.Dimensions} dimensions, got {graph.Dimensions} ({graph.NodeCount} nodes for {count} keys).", nameof(stream));
        }

        using var gate = _writeGate.EnterScope();
        _lock.EnterWriteLock();
        try
        {
            if (_slots.Count > 0)
            {
                throw new InvalidOperationException("LoadIndexAsync needs an empty collection: load the index first, then upsert the records.");
            }

            index.Attach(graph);
            _loadedIds = ids;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private const long KeyTableMagic = 0x59454B5349474E45; // "ENGISKEY" little-endian

    private HnswVectorIndex Hnsw(string operation) => _index as HnswVectorIndex
        ?? throw new InvalidOperationException($"{operation} needs a collection whose vector property uses IndexKind.Hnsw (or the store's DefaultIndexKind Hnsw with a cosine vector).");

    private static void WriteKey(BinaryWriter writer, TKey key)
    {
        switch (key)
        {
            case string text: writer.Write(text); break;
            case Guid guid: writer.Write(guid.ToByteArray()); break;
            case int number: writer.Write(number); break;
            case long number: writer.Write(number); break;
            default: throw new NotSupportedException($"Keys of type {typeof(TKey).Name} cannot be saved.");
        }
    }

    private static TKey ReadKey(BinaryReader reader)
    {
        object key = typeof(TKey) == typeof(string) ? reader.ReadString()
            : typeof(TKey) == typeof(Guid) ? new Guid(reader.ReadBytes(16))
            : typeof(TKey) == typeof(int) ? reader.ReadInt32()
            : typeof(TKey) == typeof(long) ? reader.ReadInt64()
            : throw new NotSupportedException($"Keys of type {typeof(TKey).Name} cannot be loaded.");
        return (TKey)key;
    }

    // Filters see records as stored; a null property dereferenced by a filter (r.Title.Contains(...)) counts as no match,
    // as NULL does in SQL.
    private static bool Matches(Func<TRecord, bool> filter, TRecord record)
    {
        try
        {
            return filter(record);
        }
        catch (NullReferenceException)
        {
            return false;
        }
    }

    private TRecord Output(int slot, bool includeVectors)
    {
        var copy = Model.Clone(_records[slot]!, includeVector: false);
        if (includeVectors)
        {
            Model.SetVector(copy, _matrix.Row(slot));
        }

        return (TRecord)copy;
    }

    // Step 3 of a write: the deletes, then the staged records take their keys (the slots they replace are freed), at once.
    private void Publish(IEnumerable<TKey> deletes, Dictionary<TKey, (int Slot, TRecord Record)> staged)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var key in deletes)
            {
                if (_loadedIds is not null && _loadedIds.Remove(key, out int loaded))
                {
                    ((HnswVectorIndex)_index).RemoveUnmapped(loaded);
                }

                if (_slots.Remove(key, out int slot))
                {
                    FreeSlot(slot);
                }
            }

            foreach (var (key, (slot, record)) in staged)
            {
                if (_slots.TryGetValue(key, out int replaced))
                {
                    FreeSlot(replaced);
                }

                _slots[key] = slot;
                _keys[slot] = key;
                _records[slot] = record;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    // Maps staged slots to the nodes of a loaded graph where the direction is unchanged; returns the slots left to index.
    private int ReuseLoadedNodes(Dictionary<TKey, (int Slot, TRecord Record)> staged, int[] pending, int pendingCount)
    {
        var reused = new HashSet<int>();
        _lock.EnterWriteLock();
        try
        {
            foreach (var (key, (slot, _)) in staged)
            {
                if (_loadedIds!.Remove(key, out int id) && ((HnswVectorIndex)_index).TryReuse(slot, id))
                {
                    reused.Add(slot);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        int kept = 0;
        for (int i = 0; i < pendingCount; i++)
        {
            if (!reused.Contains(pending[i]))
            {
                pending[kept++] = pending[i];
            }
        }

        return kept;
    }

    private void FreeSlot(int slot)
    {
        _records[slot] = null;
        _keys[slot] = default!;
        _matrix.Clear(slot);
        _index.Remove(slot);
        _free.Push(slot);
    }

    private int NewSlot()
    {
        int slot = _slotCount++;
        if (slot >= _keys.Length)
        {
            _matrix.EnsureCapacity(slot + 1);
            _index.EnsureCapacity(_matrix.Capacity);
            Array.Resize(ref _keys, _matrix.Capacity);
            Array.Resize(ref _records, _matrix.Capacity);
        }

        return slot;
    }
}
