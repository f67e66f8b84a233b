namespace AiEng.Inference;

/// <summary>
/// Keys of <c>ChatResponse.AdditionalProperties</c> (and <c>ChatResponseUpdate.AdditionalProperties</c>) by which a cache marks
/// a response it served. <see cref="UsageTrackingChatClient"/> records such a response as a cache hit: no tokens and no
/// model cost (<see cref="UsageRecord.IsCacheHit"/>).
/// </summary>
public static class ResponseCacheProperties
{
    /// <summary>The key whose value names the cache that served the response, for example <c>semantic</c>.</summary>
    public const string Hit = "aieng.cache_hit";

    /// <summary>The key whose value is the cosine similarity (a <see cref="double"/>) between the question and the cached question it was answered from.</summary>
    public const string Similarity = "aieng.cache_similarity";

    /// <summary>The value of <see cref="Hit"/> set by the semantic cache (<c>UseSemanticCache</c>).</summary>
    public const string Semantic = "semantic";

    /// <summary>Gets the name of the cache that served a response, from its additional properties, or <see langword="null"/> when no cache did.</summary>
    /// <param name="properties">The response's (or update's) additional properties.</param>
    /// <returns>The cache's name, or <see langword="null"/>.</returns>
    public static string? GetHit(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Hit, out object? value) && value is string { Length: > 0 } name ? name : null;
}
