using System.Numerics.Tensors;

namespace AiEng.Retrieval;

public sealed class Int8VectorIndexTests
{
    [Theory]
    [InlineData(nameof(VectorMetric.CosineSimilarity))]
    [InlineData(nameof(VectorMetric.DotProductSimilarity))]
    [InlineData(nameof(VectorMetric.EuclideanDistance))]
    public void Finds_nearly_the_same_top_10_as_the_exact_scan(string metricName)
    {
        var metric = Enum.Parse<VectorMetric>(metricName);
        const int Dimensions = 64, Count = 2000, Queries = 20;
        var random = new Random(11);
        var matrix = new VectorMatrix(Dimensions, Count);
        var exact = new ExactVectorIndex(matrix, metric);
        var quantized = new Int8VectorIndex(matrix, metric, rescoreMultiplier: 4);
        for (int slot = 0; slot < Count; slot++)
        {
            var vector = RandomVector(random, Dimensions);
            matrix.Set(slot, vector);
            quantized.SetRange([slot]);
        }

        int found = 0;
        for (int q = 0; q < Queries; q++)
        {
            var query = RandomVector(random, Dimensions);
            var truth = Top(exact, query, Count);
            var approximate = Top(quantized, query, Count);
            found += truth.Intersect(approximate).Count();
        }

        Assert.True(found >= 0.97 * Queries * 10, $"recall@10 {found / (Queries * 10.0)}");
    }

    // The quantised scan computed row by row, independently of the index's block loop: every accepted row's approximate
    // score, the best k * multiplier of them, those rescored exactly. The index must return exactly that top k, so no
    // row may be lost or wrongly offered by the vectorised threshold test (2,999 rows: full blocks and a tail whose length
    // is not a multiple of the vector width; 48 dimensions: the kernel's vector loop and its scalar tail).
    [Theory]
    [InlineData(nameof(VectorMetric.CosineSimilarity), false)]
    [InlineData(nameof(VectorMetric.DotProductSimilarity), false)]
    [InlineData(nameof(VectorMetric.EuclideanDistance), false)]
    [InlineData(nameof(VectorMetric.CosineSimilarity), true)]
    public void Search_returns_the_exactly_rescored_best_candidates_of_the_quantised_scores(string metricName, bool evenSlotsOnly)
    {
        var metric = Enum.Parse<VectorMetric>(metricName);
        const int Dimensions = 48, Count = 2999, Top = 10, Multiplier = 4;
        var random = new Random(13);
        var matrix = new VectorMatrix(Dimensions, Count);
        var index = new Int8VectorIndex(matrix, metric, Multiplier);
        for (int slot = 0; slot < Count; slot++)
        {
            matrix.Set(slot, RandomVector(random, Dimensions));
        }

        index.SetRange(Enumerable.Range(0, Count).ToArray());
        Func<int, bool> accept = evenSlotsOnly ? slot => slot % 2 == 0 : _ => true;
        for (int q = 0; q < 20; q++)
        {
            var query = RandomVector(random, Dimensions);
            var heap = new TopKHeap(Top);
            index.Search(query, Count, accept, heap);
            var ids = new int[heap.Count];
            var scores = new float[ids.Length];
            heap.Drain(ids, scores);

            var (expectedIds, expectedScores) = ReferenceSearch(matrix, metric, query, Count, accept, Top, Multiplier);
            Assert.Equal(expectedIds, ids);
            Assert.Equal(expectedScores, scores);
        }
    }

    [Fact]
    public void Rescored_scores_are_the_exact_scores()
    {
        var matrix = new VectorMatrix(4, 4);
        var index = new Int8VectorIndex(matrix, VectorMetric.CosineSimilarity, rescoreMultiplier: 2);
        float[][] rows = [[1, 0, 0, 0], [0.3f, 0.7f, 0.1f, 0], [0, 0, 0, 5]];
        for (int slot = 0; slot < rows.Length; slot++)
        {
            matrix.Set(slot, rows[slot]);
            index.SetRange([slot]);
        }

        index.Remove(0);
        var heap = new TopKHeap(2);
        index.Search([1, 1, 0, 0], rows.Length, slot => slot != 0, heap);
        var ids = new int[2];
        var scores = new float[2];
        heap.Drain(ids, scores);

        Assert.Equal([1, 2], ids);
        Assert.Equal((0.3f + 0.7f) / MathF.Sqrt(2) / MathF.Sqrt(0.59f), scores[0], 5);
        Assert.Equal(0f, scores[1], 5);
    }

    [Fact]
    public void SetRange_of_many_slots_indexes_the_matrix_rows_like_one_slot_at_a_time()
    {
        const int Dimensions = 32, Count = 300;
        var random = new Random(12);
        var matrix = new VectorMatrix(Dimensions, Count);
        var single = new Int8VectorIndex(matrix, VectorMetric.CosineSimilarity, rescoreMultiplier: 1);
        var batched = new Int8VectorIndex(matrix, VectorMetric.CosineSimilarity, rescoreMultiplier: 1);
        for (int slot = 0; slot < Count; slot++)
        {
            var vector = RandomVector(random, Dimensions);
            matrix.Set(slot, vector);
            single.SetRange([slot]);
        }

        batched.SetRange(Enumerable.Range(0, Count).Reverse().ToArray());

        for (int q = 0; q < 20; q++)
        {
            var query = RandomVector(random, Dimensions);
            Assert.Equal(Top(single, query, Count), Top(batched, query, Count));
        }
    }

    private static int[] Top(IVectorIndex index, float[] query, int count)
    {
        var heap = new TopKHeap(10);
        index.Search(query, count, _ => true, heap);
        var ids = new int[heap.Count];
        heap.Drain(ids, new float[ids.Length]);
        return ids;
    }

    private static (int[] Ids, float[] Scores) ReferenceSearch(
        VectorMatrix matrix, VectorMetric metric, float[] query, int count, Func<int, bool> accept, int top, int multiplier)
    {
        int dimensions = matrix.Dimensions;
        var prepared = VectorMetrics.PrepareQuery(metric, query, new float[dimensions]).ToArray();
        var queryCodes = new sbyte[dimensions];
        float queryScale = Int8Kernels.Quantize(prepared, queryCodes);
        var approximate = new List<(float Score, int Slot)>();
        for (int slot = 0; slot < count; slot++)
        {
            if (!accept(slot))
            {
                continue;
            }

            var row = matrix.Row(slot).ToArray();
            var quantisedFrom = row;
            if (VectorMetrics.IsCosine(metric))
            {
                quantisedFrom = new float[dimensions];
                TensorPrimitives.Multiply(row, matrix.InverseNorms[slot], quantisedFrom);
            }

            var codes = new sbyte[dimensions];
            float scale = Int8Kernels.Quantize(quantisedFrom, codes);
            float score = (float)Int8Kernels.Dot(codes, queryCodes) * scale;
            score = VectorMetrics.IsEuclidean(metric)
                ? (score * (2 * queryScale)) - TensorPrimitives.Dot(row, row)
                : score * queryScale;
            approximate.Add((score, slot));
        }

        var results = new TopKHeap(top);
        foreach (var (_, slot) in approximate.OrderByDescending(c => c.Score).ThenBy(c => c.Slot).Take(top * multiplier))
        {
            results.Offer(ExactVectorIndex.Score(matrix, metric, slot, prepared), slot);
        }

        var ids = new int[results.Count];
        var scores = new float[ids.Length];
        results.Drain(ids, scores);
        return (ids, scores);
    }

    private static float[] RandomVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2) - 1;
        }

        return vector;
    }
}
