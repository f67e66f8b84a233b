using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Stores;

public sealed class HnswVectorIndexTests
{
    private const int Dimensions = 16;

    [Fact]
    public void Replacing_a_slot_tombstones_its_old_node_and_removing_it_tombstones_the_new_one()
    {
        var (matrix, index) = Create(3, seed: 1);

        Set(matrix, index, 1, Random(new Random(9)));
        Assert.Equal(3, index.Graph.Count);
        Assert.Equal(1, index.Graph.RemovedCount);

        matrix.Clear(1);
        index.Remove(1);
        Assert.Equal(2, index.Graph.Count);
        Assert.Equal(2, index.Graph.RemovedCount);
    }

    [Fact]
    public void Finds_the_exact_top_10_of_2000_vectors_for_most_queries()
    {
        var (matrix, index) = Create(2000, seed: 2);
        var exact = new ExactVectorIndex(matrix, VectorMetric.CosineSimilarity);
        var random = new Random(3);
        int found = 0;
        for (int q = 0; q < 50; q++)
        {
            var query = Random(random);
            var expected = Top(exact, query, 2000, _ => true, 10);
            var actual = Top(index, query, 2000, _ => true, 10);
            found += actual.Intersect(expected).Count();
        }

        Assert.True(found >= 0.9 * 500, $"recall {found / 500.0}");
    }

    [Fact]
    public void Returns_the_same_slots_and_scores_as_the_exact_scan_when_the_beam_covers_the_collection()
    {
        var (matrix, index) = Create(50, seed: 4);
        var exact = new ExactVectorIndex(matrix, VectorMetric.CosineSimilarity);
        var query = Random(new Random(5));

        var expected = Drain(exact, query, 50, s => s % 3 == 0, 7);
        var actual = Drain(index, query, 50, s => s % 3 == 0, 7);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_very_selective_filter_still_finds_its_only_match()
    {
        var (_, index) = Create(1000, seed: 6);

        var slots = Top(index, Random(new Random(7)), 1000, slot => slot == 777, 5);

        Assert.Equal([777], slots);
    }

    [Fact]
    public void A_zero_vector_is_kept_outside_the_graph_and_a_zero_query_scans_exactly()
    {
        var (matrix, index) = Create(20, seed: 8);
        Set(matrix, index, 5, new float[Dimensions]);

        Assert.Equal(1, index.OutsideCount);
        Assert.Equal(19, index.Graph.Count);
        Assert.Contains(5, Top(index, Random(new Random(1)), 20, _ => true, 20));
        Assert.Equal(20, Top(index, new float[Dimensions], 20, _ => true, 20).Count);
    }

    [Fact]
    public void SetRange_tombstones_replaced_slots_adds_new_ones_in_slot_order_and_keeps_zero_vectors_outside()
    {
        var (matrix, index) = Create(10, seed: 10);
        var random = new Random(11);
        matrix.EnsureCapacity(13);
        index.EnsureCapacity(matrix.Capacity);
        foreach (int slot in new[] { 2, 12, 4, 11 })
        {
            matrix.Set(slot, Random(random));
        }

        matrix.Set(10, new float[Dimensions]);

        index.SetRange([2, 12, 10, 4, 11]);

        Assert.Equal(2, index.Graph.RemovedCount);
        Assert.Equal(12, index.Graph.Count);
        Assert.Equal(1, index.OutsideCount);
        Assert.Equal([2, 12, 4, 11], Enumerable.Range(10, 4).Select(index.SlotOf));
        Assert.Equal(matrix.Row(12).ToArray().Select(v => v / MathF.Sqrt(matrix.Row(12).ToArray().Sum(x => x * x))), index.Graph.Vector(11).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(13, Top(index, Random(random), 13, _ => true, 13).Count);
    }

    [Fact]
    public void SetRange_of_more_vectors_than_one_graph_call_takes_maps_every_slot_to_its_own_node()
    {
        const int Count = HnswVectorIndex.MaxRowsPerAdd + 500, Small = 4;
        var matrix = new VectorMatrix(Small, Count);
        var index = new HnswVectorIndex(matrix, VectorMetric.CosineSimilarity, new HnswOptions { M = 4, EfConstruction = 8, EfSearch = 8 });
        index.EnsureCapacity(Count);
        var random = new Random(12);
        for (int slot = 0; slot < Count; slot++)
        {
            matrix.Set(slot, slot % 1000 == 0 ? new float[Small] : [.. Enumerable.Range(0, Small).Select(_ => (float)random.NextDouble() - 0.5f)]);
        }

        // Slots in reverse order: node ids follow the order of the call, across the split into graph calls.
        index.SetRange(Enumerable.Range(0, Count).Reverse().ToArray());

        Assert.Equal(Count / 1000 + 1, index.OutsideCount);
        Assert.Equal(Count - index.OutsideCount, index.Graph.Count);
        var slots = Enumerable.Range(0, index.Graph.NodeCount).Select(index.SlotOf).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Reverse().Where(slot => slot % 1000 != 0), slots);
        for (int id = 0; id < index.Graph.NodeCount; id += 997)
        {
            var expected = matrix.Row(slots[id]).ToArray();
            var stored = index.Graph.Vector(id).ToArray();
            float norm = MathF.Sqrt(expected.Sum(x => x * x));
            Assert.Equal(expected.Select(x => x / norm), stored, (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    private static (VectorMatrix Matrix, HnswVectorIndex Index) Create(int count, int seed)
    {
        var matrix = new VectorMatrix(Dimensions);
        var index = new HnswVectorIndex(matrix, VectorMetric.CosineSimilarity, new HnswOptions { M = 8, EfConstruction = 64, EfSearch = 32 });
        var random = new Random(seed);
        for (int slot = 0; slot < count; slot++)
        {
            Set(matrix, index, slot, Random(random));
        }

        return (matrix, index);
    }

    private static void Set(VectorMatrix matrix, HnswVectorIndex index, int slot, float[] vector)
    {
        matrix.EnsureCapacity(slot + 1);
        index.EnsureCapacity(matrix.Capacity);
        matrix.Set(slot, vector);
        index.SetRange([slot]);
    }

    private static float[] Random(Random random) => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static List<int> Top(IVectorIndex index, float[] query, int slotCount, Func<int, bool> accept, int k) =>
        [.. Drain(index, query, slotCount, accept, k).Select(r => r.Slot)];

    private static List<(int Slot, float Score)> Drain(IVectorIndex index, float[] query, int slotCount, Func<int, bool> accept, int k)
    {
        var heap = new TopKHeap(k, (a, b) => a.CompareTo(b));
        index.Search(query, slotCount, accept, heap);
        var slots = new int[heap.Count];
        var scores = new float[heap.Count];
        heap.Drain(slots, scores);
        return [.. slots.Zip(scores)];
    }
}
