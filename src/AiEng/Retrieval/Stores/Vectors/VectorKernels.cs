using System.Numerics.Tensors;

namespace AiEng.Retrieval;

/// <summary>Dot-product kernels over rows of a row-major <see cref="float"/> matrix.</summary>
internal static class VectorKernels
{
    /// <summary>
    /// Writes the dot product of each of the <c>scores.Length</c> consecutive rows at the start of
    /// <paramref name="rows"/> with <paramref name="query"/> into <paramref name="scores"/>.
    /// </summary>
    /// <remarks>
    /// One <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per row: its Vector512/Vector256
    /// code is already bound by memory bandwidth for embedding-sized rows (the <c>vectors</c> benchmark compares it with a
    /// plain sequential read of the same matrix). A hand-written Vector512 kernel over four rows at once (shared query
    /// loads, four accumulators) was measured against it on 200,000 x 384 and was no faster (157-169 ms against
    /// 157-168 ms per full scan on a loaded 2-core machine), so it was not kept.
    /// </remarks>
    public static void DotRows(ReadOnlySpan<float> rows, ReadOnlySpan<float> query, Span<float> scores)
    {
        int dimensions = query.Length;
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = TensorPrimitives.Dot(rows.Slice(i * dimensions, dimensions), query);
        }
    }

    /// <summary>Returns the squared Euclidean distance of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float distance = TensorPrimitives.Distance(a, b);
        return distance * distance;
    }
}
