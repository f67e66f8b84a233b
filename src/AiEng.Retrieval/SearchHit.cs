namespace AiEng.Retrieval;

/// <summary>A document found by a search, with the score the search gave it (higher is better).</summary>
/// <param name="Id">The document id.</param>
/// <param name="Score">The score; only its order relative to other hits of the same search is meaningful.</param>
public readonly record struct SearchHit(string Id, double Score);
