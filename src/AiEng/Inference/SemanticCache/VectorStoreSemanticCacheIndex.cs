using Microsoft.Extensions.VectorData;

namespace AiEng.Inference;

/// <summary>The semantic cache's index over any MEVD collection of <see cref="SemanticCacheRecord"/>s; every search is filtered to the request's scope.</summary>
internal sealed class VectorStoreSemanticCacheIndex(VectorStoreCollection<string, SemanticCacheRecord> collection) : SemanticCacheIndex
{
    private const int RemoveBatch = 1000;
    private volatile bool _exists;

    public VectorStoreCollection<string, SemanticCacheRecord> Collection { get; } = collection;

    public override async Task<IReadOnlyList<(SemanticCacheRecord Record, double Similarity)>> SearchAsync(
        string scope, ReadOnlyMemory<float> vector, int top, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(cancellationToken).ConfigureAwait(false);
        var options = new VectorSearchOptions<SemanticCacheRecord> { Filter = record => record.Scope == scope };
        var results = new List<(SemanticCacheRecord Record, double Similarity)>(top);
        await foreach (VectorSearchResult<SemanticCacheRecord> result in Collection.SearchAsync(vector, top, options, cancellationToken).ConfigureAwait(false))
        {
            // The filter is the store's; checking again costs nothing and keeps another scope's answer out even if a store ignores it.
            if (result.Record.Scope == scope)
            {
                results.Add((result.Record, result.Score ?? double.NegativeInfinity));
            }
        }

        return results;
    }

    public override async Task AddAsync(SemanticCacheRecord record, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(cancellationToken).ConfigureAwait(false);
        await Collection.UpsertAsync(record, cancellationToken).ConfigureAwait(false);
    }

    public override Task RemoveAsync(string key, CancellationToken cancellationToken) => Collection.DeleteAsync(key, cancellationToken);

    public override async Task<IReadOnlyList<string>> RemoveScopeAsync(string scope, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        while (true)
        {
            var keys = new List<string>();
            await foreach (SemanticCacheRecord record in Collection.GetAsync(r => r.Scope == scope, RemoveBatch, options: null, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(record.Key);
            }

            if (keys.Count == 0)
            {
                return removed;
            }

            await Collection.DeleteAsync(keys, cancellationToken).ConfigureAwait(false);
            removed.AddRange(keys);
        }
    }

    public override async Task ClearAsync(CancellationToken cancellationToken)
    {
        _exists = false;
        await Collection.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (!_exists)
        {
            // Idempotent: two calls racing here both ensure the collection, which is harmless.
            await Collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            _exists = true;
        }
    }
}
