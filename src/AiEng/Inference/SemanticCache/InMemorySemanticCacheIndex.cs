using System.Numerics.Tensors;

namespace AiEng.Inference;

/// <summary>
/// The default index of the semantic cache: records in process memory, grouped by scope and searched by an exact cosine scan
/// of the request's scope only. AiEng's MEVD stores live in AiEng.Retrieval, which AiEng does not reference
/// (docs/architecture.md), and a cache of questions is small enough for a scan.
/// </summary>
internal sealed class InMemorySemanticCacheIndex : SemanticCacheIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SemanticCacheRecord>> _scopes = new(StringComparer.Ordinal);

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
            if (!_scopes.TryGetValue(record.Scope, out List<SemanticCacheRecord>? records))
            {
                _scopes[record.Scope] = records = [];
            }

            records.Add(record);
        }

        return Task.CompletedTask;
    }

    public override Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (List<SemanticCacheRecord> records in _scopes.Values)
            {
                records.RemoveAll(r => r.Key == key);
            }
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<string>> RemoveScopeAsync(string scope, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<string> keys = _scopes.Remove(scope, out List<SemanticCacheRecord>? records) ? [.. records.Select(r => r.Key)] : [];
            return Task.FromResult(keys);
        }
    }

    public override Task ClearAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _scopes.Clear();
        }

        return Task.CompletedTask;
    }
}
