namespace AiEng.Retrieval;

/// <summary>
/// The seam between a store's record slots and the code that finds the nearest vectors. The store owns the
/// <see cref="VectorMatrix"/> (row <c>slot</c> holds the vector of the record in that slot) and tells the index about
/// every change; the index answers top-k queries over the slots. Implementations: <see cref="ExactVectorIndex"/> (full
/// scan), <see cref="Int8VectorIndex"/> (quantised scan plus exact rescoring); an approximate index (HNSW) plugs in
/// through <see cref="VectorIndexFactory"/>. Calls are serialised by the store (writes exclusive, searches shared), so
/// <see cref="Search"/> must not mutate shared state.
/// </summary>
internal interface IVectorIndex
{
    /// <summary>Makes room for <paramref name="slots"/> slots (the matrix already has it).</summary>
    void EnsureCapacity(int slots);

    /// <summary>
    /// Indexes the vectors just written to rows <paramref name="slots"/> of the matrix (insert or replace), as one batch:
    /// the store calls it with slices of up to <c>InMemoryCollectionStorage.IndexSliceSlots</c> slots of an upsert batch
    /// (searches run between the calls), so an index that builds faster in bulk (HNSW) can do so. The slots are
    /// distinct, and their records are not offered to searches (<c>accept</c> refuses them) until the whole batch is
    /// published; the result must depend only on their order, never on thread timing.
    /// </summary>
    void SetRange(ReadOnlySpan<int> slots);

    /// <summary>Forgets <paramref name="slot"/>; the store will not offer it to searches again until it is set.</summary>
    void Remove(int slot);

    /// <summary>
    /// Offers the best slots below <paramref name="slotCount"/> to <paramref name="results"/>, with internal scores (higher
    /// is better, see <see cref="VectorMetrics"/>). <paramref name="accept"/> says whether a slot is live and passes the
    /// caller's filter; it is consulted only for candidates good enough to enter the heap.
    /// </summary>
    void Search(ReadOnlySpan<float> query, int slotCount, Func<int, bool> accept, TopKHeap results);
}
