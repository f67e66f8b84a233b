using System.Numerics.Tensors;

namespace AiEng.Inference;

/// <summary>
/// The default index of the semantic cache: records in process memory, grouped by scope and searched by an exact cosine scan
/// of the request's scope only, at most <c>maxEntries</c> of them (adding one more drops the oldest). AiEng's MEVD stores
/// live in AiEng.Retrieval, which AiEng does not reference (docs/architecture.md), and a cache of questions is small enough
/// for a scan.
/// </summary>
internal sealed class InMemorySemanticCacheIndex(int maxEntries) : SemanticCacheIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SemanticCacheRecord>> _scopes = new(StringComparer.Ordinal);

    // Every record, oldest first, found by its key: to drop the oldest, and to remove a record by key.
    private readonly LinkedList<SemanticCacheRecord> _order = new();
    private readonly Dictionary<string, LinkedListNode<SemanticCacheRecord>> _nodes = new(StringComparer.Ordinal);

    /// <summary>Gets how many records the index holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    public override Task<IReadOnlyList<(SemanticCacheRecord Record, double Similarity)>> SearchAsync(
        string scope, ReadOnlyMemory<float> vector, int top, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var results = new List<(SemanticCacheRecord Record, double Similarity)>();
        lock (_gate)
        {
            if (_scopes.TryGetValue(scope, out List<SemanticCacheRecord>? records))
            {
                foreach (SemanticCacheRecord record in records)
                {
                    if (record.Vector.Length == vector.Length)
                    {
                        results.Add((record, TensorPrimitives.CosineSimilarity(vector.Span, record.Vector.Span)));
                    }
                }
            }
        }

        results.Sort((x, y) => y.Similarity.CompareTo(x.Similarity));
        if (results.Count > top)
        {
            results.RemoveRange(top, results.Count - top);
        }

        return Task.FromResult<IReadOnlyList<(SemanticCacheRecord, double)>>(results);
    }

    public override Task AddAsync(SemanticCacheRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Remove(record.Key);
            if (!_scopes.TryGetValue(record.Scope, out List<SemanticCacheRecord>? records))
            {
                _scopes[record.Scope] = records = [];
            }

            records.Add(record);
            _nodes[record.Key] = _order.AddLast(record);
            while (_nodes.Count > maxEntries)
            {
                Remove(_order.First!.Value.Key);
            }
        }

        return Task.CompletedTask;
    }

    public override Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Remove(key);
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<string>> RemoveScopeAsync(string scope, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_scopes.Remove(scope, out List<SemanticCacheRecord>? records))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            foreach (SemanticCacheRecord record in records)
            {
                if (_nodes.Remove(record.Key, out LinkedListNode<SemanticCacheRecord>? node))
                {
                    _order.Remove(node);
                }
            }

            return Task.FromResult<IReadOnlyList<string>>([.. records.Select(r => r.Key)]);
        }
    }

    public override Task ClearAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _scopes.Clear();
            _order.Clear();
            _nodes.Clear();
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes a record by key, if present; the caller holds the lock.</summary>
    private void Remove(string key)
    {
        if (!_nodes.Remove(key, out LinkedListNode<SemanticCacheRecord>? node))
        {
            return;
        }

        _order.Remove(node);
        string scope = node.Value.Scope;
        if (_scopes.TryGetValue(scope, out List<SemanticCacheRecord>? records))
        {
            records.RemoveAll(r => r.Key == key);
            if (records.Count == 0)
            {
                _scopes.Remove(scope);
            }
        }
    }
}
