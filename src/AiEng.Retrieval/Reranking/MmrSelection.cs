namespace AiEng.Retrieval;

/// <summary>One candidate chosen by <see cref="Mmr.Select"/>.</summary>
/// <param name="Index">The candidate's position in the list given to <see cref="Mmr.Select"/>.</param>
/// <param name="Score">Its marginal relevance when chosen: <c>lambda * sim(query, d) - (1 - lambda) * max sim(d, chosen)</c>.</param>
internal readonly record struct MmrSelection(int Index, double Score);
