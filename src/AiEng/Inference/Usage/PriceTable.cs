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

    // The entry used last: calls usually repeat one model id (often the same string instance), and comparing with it is
    // cheaper than hashing the id. Replaced as a whole, so readers always see a matching id and entry.
    private Entry? _last;

    public PriceTable(IDictionary<string, ModelPrice> prices)
    {
        _exact = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        _byLengthDescending = [.. prices];
        Array.Sort(_byLengthDescending, static (a, b) => b.Key.Length.CompareTo(a.Key.Length));
    }

    public decimal? GetCost(string modelId, long inputTokens, long outputTokens, long cachedInputTokens)
    {
        if (_exact.Count == 0)
        {
            return null;
        }

        Entry? entry = Volatile.Read(ref _last);
        if (entry is null || !string.Equals(entry.ModelId, modelId, StringComparison.Ordinal))
        {
            if (!_cache.TryGetValue(modelId, out entry))
            {
                entry = new Entry(modelId, Resolve(modelId));
                if (_cache.Count < MaxCachedModels)
                {
                    _cache.TryAdd(modelId, entry);
                }
            }

            Volatile.Write(ref _last, entry);
        }

        return entry.GetCost(inputTokens, outputTokens, cachedInputTokens);
    }

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

    /// <summary>A resolved price as per-token rates (exact in <see cref="decimal"/>), so that a cost is multiplications only.</summary>
    private sealed class Entry
    {
        private readonly bool _priced;
        private readonly decimal _input;
        private readonly decimal _cachedInput;
        private readonly decimal _output;

        public Entry(string modelId, ModelPrice? price)
        {
            ModelId = modelId;
            if (price is not null)
            {
                _priced = true;
                _input = price.InputPerMillion / 1_000_000m;
                _cachedInput = (price.CachedInputPerMillion ?? price.InputPerMillion) / 1_000_000m;
                _output = price.OutputPerMillion / 1_000_000m;
            }
        }

        public string ModelId { get; }

        public decimal? GetCost(long inputTokens, long outputTokens, long cachedInputTokens)
        {
            if (!_priced)
            {
                return null;
            }

            long input = Math.Max(inputTokens, 0);
            long cached = Math.Clamp(cachedInputTokens, 0, input);
            decimal cost = (input - cached) * _input;
            if (cached != 0)
            {
                cost += cached * _cachedInput;
            }

            if (outputTokens > 0)
            {
                cost += outputTokens * _output;
            }

            return cost;
        }
    }
}
