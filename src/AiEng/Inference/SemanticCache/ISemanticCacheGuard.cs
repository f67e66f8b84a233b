namespace AiEng.Inference;

/// <summary>
/// A check, after the similarity threshold, that a cached question may answer a new one. Embeddings place
/// "capital of France" and "capital of Spain" close together; a guard rejects such a near-miss on the words whose
/// difference changes the answer (names, numbers, negations, units).
/// </summary>
/// <remarks>Implementations must be thread-safe and fast: a guard runs on every candidate above the threshold.</remarks>
public interface ISemanticCacheGuard
{
    /// <summary>Decides whether the answer cached for <paramref name="cachedQuestion"/> may be served for <paramref name="question"/>.</summary>
    /// <param name="question">The new question (the text of the request's last user message).</param>
    /// <param name="cachedQuestion">The question whose response is cached.</param>
    /// <returns><see langword="true"/> to serve the cached response; <see langword="false"/> to treat the candidate as a miss.</returns>
    bool CanServe(string question, string cachedQuestion);
}
