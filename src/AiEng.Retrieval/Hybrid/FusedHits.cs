namespace AiEng.Retrieval;

/// <summary>Shared ordering of fusion results.</summary>
internal static class FusedHits
{
    /// <summary>Orders fused scores descending, equal scores by id (ordinal), so that results are deterministic.</summary>
    public static SearchHit[] Sort(Dictionary<string, double> fused)
    {
        var hits = fused.Select(static pair => new SearchHit(pair.Key, pair.Value)).ToArray();
        Array.Sort(hits, static (x, y) =>
        {
            int byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.Id, y.Id);
        });
        return hits;
    }
}
