using System.Collections.Concurrent;

namespace AiEng.Inference;

/// <summary>
/// Looks up the <see cref="ModelPrice"/> of a model id: exact key first, then the longest key the id is a variant of
/// (<see cref="ModelIds.IsVariantOf"/>). Results are cached per model id, so the hot path is one dictionary lookup.
/// </summary>
internal sealed class PriceTable
{
    // Bounds the cache when callers send many distinct model ids; beyond it lookups are computed, not cached.
    private const int MaxCachedModels = 512;

    private readonly Dictionary<string, ModelPrice> _exact;
    private readonly KeyValuePair<string, ModelPrice>[] _byLengthDescending;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    public PriceTable(IDictionary<string, ModelPrice> prices)
    {
        _exact = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        _byLengthDescending = [.. prices];
        Array.Sort(_byLengthDescending, static (a, b) => b.Key.Length.CompareTo(a.Key.Length));
    }

    public bool IsEmpty => _exact.Count == 0;

    public ModelPrice? Find(string modelId)
    {
        if (_exact.Count == 0)
        {
            return null;
        }

        if (_cache.TryGetValue(modelId, out Entry? entry))
        {
            return entry.Price;
        }

        ModelPrice? price = Resolve(modelId);
        if (_cache.Count < MaxCachedModels)
        {
            _cache.TryAdd(modelId, new Entry(price));
        }

        return price;
    }

    public decimal? GetCost(string modelId, long inputTokens, long outputTokens, long cachedInputTokens) =>
        Find(modelId)?.GetCost(inputTokens, outputTokens, cachedInputTokens);

    private ModelPrice? Resolve(string modelId)
    {
        if (_exact.TryGetValue(modelId, out ModelPrice? exact))
        {
            return exact;
        }

        foreach (KeyValuePair<string, ModelPrice> candidate in _byLengthDescending)
        {
            if (ModelIds.IsVariantOf(modelId, candidate.Key))
            {
                return candidate.Value;
            }
        }

        return null;
    }

    private sealed record Entry(ModelPrice? Price);
}
