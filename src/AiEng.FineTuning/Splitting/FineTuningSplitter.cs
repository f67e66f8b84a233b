using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// Splits examples into training and validation parts deterministically: the same items, fraction and seed give the same
/// split on every run, machine and .NET version, optionally stratified by a label so each label keeps its share.
/// </summary>
/// <remarks>
/// Each item's place is a 64-bit hash of the seed and its index (FNV-1a mixed with SplitMix64), not <see cref="Random"/>,
/// whose sequence for a seed is not promised across .NET versions. Within each label (or the whole set without one) the
/// items with the lowest hashes go to validation: round(count × fraction) of them, but never all of a label with two or more
/// items. Both parts keep the input order.
/// </remarks>
public static class FineTuningSplitter
{
    /// <summary>Splits items into training and validation parts.</summary>
    /// <typeparam name="T">The example type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="validationFraction">The share that goes to validation, from 0 to 1 (exclusive), for example 0.1.</param>
    /// <param name="seed">The seed; another seed gives another split.</param>
    /// <param name="stratifyBy">Gets an item's label to stratify by (for example <c>e =&gt; e.Label</c>), or <see langword="null"/> not to stratify.</param>
    /// <returns>The split.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not in [0, 1).</exception>
    public static FineTuningSplit<T> Split<T>(IReadOnlyList<T> items, double validationFraction, int seed, Func<T, string?>? stratifyBy = null)
    {
        Throw.IfNull(items);
        if (validationFraction is < 0 or >= 1 || double.IsNaN(validationFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be at least 0 and below 1, for example 0.1.");
        }

        bool[] toValidation = new bool[items.Count];
        IEnumerable<IGrouping<string, int>> groups = Enumerable.Range(0, items.Count)
            .GroupBy(i => stratifyBy?.Invoke(items[i]) ?? string.Empty, StringComparer.Ordinal);
        foreach (IGrouping<string, int> group in groups)
        {
            int[] members = [.. group.OrderBy(i => Hash(seed, i)).ThenBy(static i => i)];
            int count = (int)Math.Round(members.Length * validationFraction, MidpointRounding.AwayFromZero);
            if (count >= members.Length && members.Length > 1)
            {
                count = members.Length - 1;
            }

            for (int k = 0; k < count; k++)
            {
                toValidation[members[k]] = true;
            }
        }

        var training = new List<T>();
        var validation = new List<T>();
        for (int i = 0; i < items.Count; i++)
        {
            (toValidation[i] ? validation : training).Add(items[i]);
        }

        return new FineTuningSplit<T>(training, validation);
    }

    /// <summary>A platform-independent 64-bit hash of the seed and an index.</summary>
    internal static ulong Hash(int seed, int index)
    {
        ulong hash = 14695981039346656037UL;
        foreach (int value in (ReadOnlySpan<int>)[seed, index])
        {
            for (int shift = 0; shift < 32; shift += 8)
            {
                hash = (hash ^ (byte)(value >> shift)) * 1099511628211UL;
            }
        }

        // SplitMix64 finaliser: spreads nearby indexes over the whole range.
        hash += 0x9E3779B97F4A7C15UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
