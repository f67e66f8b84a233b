namespace AiEng.Retrieval;

/// <summary>Fuses ranked lists of <see cref="RetrievedChunk"/>s by chunk key with the fusion functions over <see cref="SearchHit"/>.</summary>
internal static class ChunkFusion
{
    /// <summary>Fuses <paramref name="lists"/> and keeps the best <paramref name="top"/>; each chunk carries its fused score.</summary>
    public static IReadOnlyList<RetrievedChunk> Fuse(IReadOnlyList<IReadOnlyList<RetrievedChunk>> lists, FusionMethod method, int k, IReadOnlyList<double>? weights, int top)
    {
        var records = new Dictionary<string, ChunkRecord>(StringComparer.Ordinal);
        var hits = new List<IReadOnlyList<SearchHit>>(lists.Count);
        foreach (var list in lists)
        {
            var listHits = new SearchHit[list.Count];
            for (int i = 0; i < list.Count; i++)
            {
                var chunk = list[i].Chunk;
                string id = chunk.Key.ToString();
                records.TryAdd(id, chunk);
                listHits[i] = new SearchHit(id, list[i].Score);
            }

            hits.Add(listHits);
        }

        var fused = method == FusionMethod.NormalizedScore
            ? NormalizedScoreFusion.Fuse(hits, weights ?? Enumerable.Repeat(1.0, lists.Count).ToArray())
            : ReciprocalRankFusion.Fuse(hits, k);
        return fused.Take(top).Select(hit => new RetrievedChunk(records[hit.Id], hit.Score)).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="retriever"/> for every query concurrently, each with the number of chunks, filter and settings of
    /// <paramref name="request"/>, and returns the lists in query order.
    /// </summary>
    public static async Task<IReadOnlyList<RetrievedChunk>[]> RetrieveAllAsync(IRetriever retriever, RetrievalRequest request, IEnumerable<string> queries, CancellationToken cancellationToken)
        => await Task.WhenAll(queries.Select(query => retriever.RetrieveAsync(request.ForQuery(query), cancellationToken))).ConfigureAwait(false);
}
