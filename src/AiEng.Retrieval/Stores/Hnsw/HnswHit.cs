namespace AiEng.Retrieval;

/// <summary>One result of <see cref="HnswIndex.Search"/>: a vector id and its cosine similarity to the query.</summary>
/// <param name="Id">The id <see cref="HnswIndex.Add"/> returned for the vector.</param>
/// <param name="Score">The cosine similarity between the vector and the query, from -1 to 1; higher is closer.</param>
internal readonly record struct HnswHit(int Id, float Score);
