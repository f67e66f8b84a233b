namespace AiEng.Retrieval;

public sealed class TopKHeapTests
{
    [Fact]
    public void Keeps_the_k_best_scores_best_first()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 500).Select(_ => (float)random.NextDouble()).ToArray();
        var heap = new TopKHeap(10);

        for (int i = 0; i < scores.Length; i++)
        {
            heap.Offer(scores[i], i);
        }

        var ids = new int[10];
        var kept = new float[10];
        Assert.Equal(10, heap.Drain(ids, kept));
        var expected = scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).Take(10).ToList();
        Assert.Equal(expected.Select(p => p.i), ids);
        Assert.Equal(expected.Select(p => p.s), kept);
        Assert.Equal(0, heap.Count);
    }

    [Fact]
    public void Breaks_ties_by_the_tie_break_and_ignores_NaN()
    {
        var heap = new TopKHeap(3, (a, b) => b.CompareTo(a));
        foreach (int id in new[] { 4, 1, 9, 6 })
        {
            heap.Offer(1f, id);
        }

        heap.Offer(float.NaN, 100);
        var ids = new int[3];

        heap.Drain(ids, new float[3]);

        Assert.Equal([9, 6, 4], ids);
    }

    [Fact]
    public void Threshold_is_negative_infinity_until_full_then_the_worst_kept_score()
    {
        var heap = new TopKHeap(2);
        heap.Offer(0.5f, 0);
        Assert.Equal(float.NegativeInfinity, heap.Threshold);

        heap.Offer(0.9f, 1);
        heap.Offer(0.7f, 2);

        Assert.Equal(0.7f, heap.Threshold);
        heap.Reset(5);
        Assert.Equal(0, heap.Count);
        Assert.Equal(5, heap.Capacity);
    }
}
