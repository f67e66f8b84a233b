using AiEng.Retrieval;
using CsCheck;

namespace AiEng.Tests.Properties;

/// <summary>
/// Properties of reciprocal-rank and normalised-score fusion on generated ranked lists: every document once, ordered by
/// score then id, independent of the order the lists come in, and a document every list ranks first is first.
/// </summary>
public sealed class FusionProperties
{
    /// <summary>A ranked list: 0 to 30 hits over a small id space (so lists share documents and may repeat one), with scores that tie often.</summary>
    private static readonly Gen<SearchHit[]> RankedList =
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 8]).Select((id, score) => new SearchHit($"d{id}", score / 4.0)).Array[0, 30]
            .Select(hits => hits.OrderByDescending(hit => hit.Score).ToArray());

    private static readonly Gen<SearchHit[][]> Lists = RankedList.Array[1, 4];

    [Fact]
    public void Reciprocal_rank_fusion_returns_each_document_once_in_order_whatever_the_order_of_the_lists()
    {
        Gen.Select(Lists, Gen.Int[1, 100], Gen.Int).Sample(
            (lists, k, seed) =>
            {
                IReadOnlyList<SearchHit> fused = ReciprocalRankFusion.Fuse(lists, k);
                IReadOnlyList<SearchHit> shuffled = ReciprocalRankFusion.Fuse(Shuffle(lists, seed), k);

                AssertEachDocumentOnceInOrder(lists, fused);
                AssertSameRanking(fused, shuffled);
                Assert.All(fused, hit => Assert.InRange(hit.Score, 0, lists.Length / (k + 1.0)));
            },
            iter: PropertyGens.Iterations);
    }

    [Fact]
    public void Normalized_score_fusion_returns_each_document_once_in_order_whatever_the_order_of_the_lists()
    {
        Gen.Select(Lists, Gen.Double[0, 1].Array[4], Gen.Int).Sample(
            (lists, weights, seed) =>
            {
                double[] used = weights[..lists.Length];
                IReadOnlyList<SearchHit> fused = NormalizedScoreFusion.Fuse(lists, used);
                int[] order = Permutation(lists.Length, seed);
                IReadOnlyList<SearchHit> shuffled = NormalizedScoreFusion.Fuse([.. order.Select(i => lists[i])], [.. order.Select(i => used[i])]);

                AssertEachDocumentOnceInOrder(lists, fused);
                AssertSameRanking(fused, shuffled);
                Assert.All(fused, hit => Assert.InRange(hit.Score, 0, used.Sum() + 1e-9));
            },
            iter: PropertyGens.Iterations);
    }

    [Fact]
    public void A_document_every_list_ranks_first_alone_is_first_after_either_fusion()
    {
        Gen.Select(Lists, Gen.Int[1, 100]).Sample(
            (lists, k) =>
            {
                // Put "winner" strictly first in every list.
                SearchHit[][] withWinner = [.. lists.Select(list => (SearchHit[])[new SearchHit("winner", (list.Length > 0 ? list[0].Score : 0) + 1), .. list.Where(hit => hit.Id != "winner")])];

                Assert.Equal("winner", ReciprocalRankFusion.Fuse(withWinner, k)[0].Id);
                Assert.Equal("winner", NormalizedScoreFusion.Fuse(withWinner, [.. withWinner.Select(_ => 0.5)])[0].Id);
            },
            iter: PropertyGens.Iterations);
    }

    private static void AssertEachDocumentOnceInOrder(SearchHit[][] lists, IReadOnlyList<SearchHit> fused)
    {
        string[] expectedIds = [.. lists.SelectMany(list => list).Select(hit => hit.Id).Distinct().Order(StringComparer.Ordinal)];
        Assert.Equal(expectedIds, fused.Select(hit => hit.Id).Order(StringComparer.Ordinal));
        for (int i = 1; i < fused.Count; i++)
        {
            int byScore = fused[i - 1].Score.CompareTo(fused[i].Score);
            Assert.True(byScore > 0 || (byScore == 0 && string.CompareOrdinal(fused[i - 1].Id, fused[i].Id) < 0), $"{fused[i - 1]} is before {fused[i]}.");
        }
    }

    /// <summary>The same documents with the same scores up to rounding, in the same order except among documents whose scores are within rounding.</summary>
    private static void AssertSameRanking(IReadOnlyList<SearchHit> expected, IReadOnlyList<SearchHit> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var scores = actual.ToDictionary(hit => hit.Id, hit => hit.Score);
        foreach (SearchHit hit in expected)
        {
            Assert.Equal(hit.Score, scores[hit.Id], 12);
        }

        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(
                expected[i].Id == actual[i].Id || Math.Abs(expected[i].Score - actual[i].Score) < 1e-12,
                $"Position {i}: {expected[i]} before the lists were reordered, {actual[i]} after.");
        }
    }

    private static SearchHit[][] Shuffle(SearchHit[][] lists, int seed) => [.. Permutation(lists.Length, seed).Select(i => lists[i])];

    private static int[] Permutation(int count, int seed)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        new Random(seed).Shuffle(order);
        return order;
    }
}
