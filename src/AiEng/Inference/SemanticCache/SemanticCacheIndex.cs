namespace AiEng.Inference;

/// <summary>Where the semantic cache keeps its question vectors: an in-memory list, or any MEVD collection.</summary>
internal abstract class SemanticCacheIndex
{
    /// <summary>Finds the records of <paramref name="scope"/> most similar to <paramref name="vector"/>, most similar first, with their cosine similarity.</summary>
    public abstract Task<IReadOnlyList<(SemanticCacheRecord Record, double Similarity)>> SearchAsync(
        string scope, ReadOnlyMemory<float> vector, int top, CancellationToken cancellationToken);

    /// <summary>Adds a record.</summary>
    public abstract Task AddAsync(SemanticCacheRecord record, CancellationToken cancellationToken);

    /// <summary>Removes a record, if present.</summary>
    public abstract Task RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes every record of <paramref name="scope"/> and returns their keys.</summary>
    public abstract Task<IReadOnlyList<string>> RemoveScopeAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Removes every record.</summary>
    public abstract Task ClearAsync(CancellationToken cancellationToken);
}
