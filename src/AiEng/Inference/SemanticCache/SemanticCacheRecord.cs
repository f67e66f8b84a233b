using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Inference;

/// <summary>
/// A cached question in a vector collection of the semantic cache: its embedding, the scope it may be served in and when it
/// expires. The response itself is kept in an <c>IDistributedCache</c> under a key derived from <see cref="Scope"/> and <see cref="Key"/>.
/// </summary>
/// <remarks>
/// Create the collection with <see cref="CreateDefinition"/>, for example
/// <c>store.GetCollection&lt;string, SemanticCacheRecord&gt;("semantic-cache", SemanticCacheRecord.CreateDefinition(384))</c>;
/// the store must filter on <see cref="Scope"/> (an indexed data property) and score by cosine similarity.
/// </remarks>
public sealed class SemanticCacheRecord
{
    /// <summary>Gets or sets the entry's id (32 hexadecimal digits).</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the scope hash of the request that was cached; a search only considers records of the request's own scope.</summary>
    public string Scope { get; set; } = string.Empty;

    /// <summary>Gets or sets the question (the last user message) whose response is cached; the guard compares it with a new question.</summary>
    public string Question { get; set; } = string.Empty;

    /// <summary>Gets or sets when the entry expires, in milliseconds since the Unix epoch (UTC).</summary>
    public long ExpiresAt { get; set; }

    /// <summary>Gets or sets the embedding of <see cref="Question"/>.</summary>
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>Creates the collection definition of these records: the key, an indexed <see cref="Scope"/>, and a cosine-similarity vector of <paramref name="dimensions"/>.</summary>
    /// <param name="dimensions">The embedding model's dimensions, for example 384 for all-MiniLM-L6-v2.</param>
    /// <returns>The definition, to pass to <c>VectorStore.GetCollection</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    public static VectorStoreCollectionDefinition CreateDefinition(int dimensions)
    {
        Throw.IfLessThan(dimensions, 1);
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Key), typeof(string)),
                new VectorStoreDataProperty(nameof(Scope), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(Question), typeof(string)),
                new VectorStoreDataProperty(nameof(ExpiresAt), typeof(long)),
                new VectorStoreVectorProperty(nameof(Vector), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
            ],
        };
    }
}
