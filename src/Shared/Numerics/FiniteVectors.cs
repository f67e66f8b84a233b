using System.Globalization;

namespace AiEng.Shared;

/// <summary>
/// Finds a value in an embedding that is NaN or an infinity: a failing model's output that no similarity can use (every
/// score against it is NaN), so readers of embeddings refuse it before it is stored or kept.
/// </summary>
internal static class FiniteVectors
{
    /// <summary>Returns the position of the first value that is NaN or an infinity, or -1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> vector)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Describes the first value of <paramref name="vector"/> that is not finite, as "holding NaN (at position 3 of 384)", or returns <see langword="null"/>.</summary>
    public static string? DescribeNonFinite(ReadOnlySpan<float> vector)
    {
        int position = IndexOfNonFinite(vector);
        return position < 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"holding {vector[position]} (at position {position} of {vector.Length})");
    }
}
