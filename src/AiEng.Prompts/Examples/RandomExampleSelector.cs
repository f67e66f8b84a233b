using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>
/// Selects a seeded random sample of examples. The sample depends only on the seed and the input text, so a run is
/// reproducible and the same input always gets the same examples.
/// </summary>
public sealed class RandomExampleSelector : IExampleSelector
{
    private readonly PromptExample[] _examples;
    private readonly int _count;
    private readonly int _seed;

    /// <summary>Initializes a new instance of the <see cref="RandomExampleSelector"/> class.</summary>
    /// <param name="examples">The examples to sample from.</param>
    /// <param name="count">How many to select (at most all of them).</param>
    /// <param name="seed">The seed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public RandomExampleSelector(IEnumerable<PromptExample> examples, int count, int seed)
    {
        Throw.IfNull(examples);
        Throw.IfLessThan(count, 1);
        _examples = [.. examples];
        _count = Math.Min(count, _examples.Length);
        _seed = seed;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PromptExample>> SelectAsync(string input, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(input);
        var random = new Random(_seed ^ StableHash(input));
        PromptExample[] shuffled = (PromptExample[])_examples.Clone();

        // Partial Fisher-Yates: the first _count slots end up a uniform sample.
        for (int i = 0; i < _count; i++)
        {
            int j = random.Next(i, shuffled.Length);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        return new(shuffled[.._count]);
    }

    // FNV-1a over UTF-16 code units: string.GetHashCode is randomised per process and would break reproducibility.
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return unchecked((int)hash);
    }
}
