using System.Text;
using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>
/// Deterministic text vectors for tests: texts that share words get similar vectors, so tests of retrieval and caching
/// can reason about similarity without a model. Use with <see cref="TestEmbeddingGenerator.FromFunction"/>; it is also
/// the default of <see cref="OpenAITestServer"/>'s embeddings.
/// </summary>
public static class TestVectors
{
    /// <summary>
    /// Computes a hashed bag-of-words vector: the text is lower-cased and split into runs of letters and digits, each word
    /// adds 1 to the dimension chosen by its FNV-1a hash, and the vector is scaled to unit length (all zeros when the text
    /// has no word). The result is the same on every machine and process.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="dimensions">The number of dimensions. The default is 64.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    public static float[] HashedBagOfWords(string text, int dimensions = 64)
    {
        Throw.IfNull(text);
        Throw.IfLessThan(dimensions, 1);
        var vector = new float[dimensions];
        foreach (var word in Words(text))
        {
            vector[(int)(Fnv1a(word) % (uint)dimensions)] += 1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    /// <summary>Counts the words of <paramref name="text"/> the way <see cref="HashedBagOfWords"/> splits them.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of runs of letters and digits.</returns>
    internal static int CountWords(string text) => Words(text).Count();

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
