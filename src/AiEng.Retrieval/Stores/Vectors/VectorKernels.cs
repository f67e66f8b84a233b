using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AiEng.Retrieval;

/// <summary>Dot-product and distance kernels over rows of a row-major <see cref="float"/> matrix.</summary>
internal static class VectorKernels
{
    /// <summary>How far ahead of the row being scored the scan asks the CPU to start loading (four 384-float rows).</summary>
    internal const int PrefetchDistanceBytes = 6144;

    private const int CacheLineBytes = 64;

    /// <summary>
    /// Writes the dot product of <paramref name="query"/> with each of the <c>scores.Length</c> consecutive rows of
    /// <paramref name="matrix"/> that start at row <paramref name="firstRow"/> into <paramref name="scores"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// One <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per row, with a software prefetch
    /// of the cache lines <see cref="PrefetchDistanceBytes"/> ahead (clamped to the matrix). The hardware prefetcher stops
    /// at every 4 KiB page boundary and each short <c>Dot</c> call leaves little time to restart it, so without the
    /// prefetch the scan reached only about 0.75-0.8 of a plain sequential read of the same matrix; with it the scan runs
    /// at the read's speed (200,000 x 384 floats on this 2-core Xeon, best of 15 rounds: 28.9 ms against 37.3 ms without
    /// prefetch, and 28.9 ms for <see cref="TensorPrimitives.Sum(ReadOnlySpan{float})"/> over the same array).
    /// Distances of 4, 8 and 16 rows were measured; four was as fast as any.
    /// </para>
    /// <para>
    /// A hand-written Vector512 kernel over four rows at once (shared query loads, four accumulators) was also measured
    /// and was slower than one <c>Dot</c> per row with prefetch, so it was not kept.
    /// </para>
    /// </remarks>
    public static void DotRows(ReadOnlySpan<float> matrix, int firstRow, ReadOnlySpan<float> query, Span<float> scores) =>
        ScoreRows<DotKernel>(matrix, firstRow, query, scores);

    /// <summary>
    /// Writes the squared Euclidean distance of <paramref name="query"/> to each of the <c>distances.Length</c> consecutive
    /// rows of <paramref name="matrix"/> that start at row <paramref name="firstRow"/> into <paramref name="distances"/>,
    /// prefetching ahead as <see cref="DotRows"/> does.
    /// </summary>
    public static void SquaredDistanceRows(ReadOnlySpan<float> matrix, int firstRow, ReadOnlySpan<float> query, Span<float> distances) =>
        ScoreRows<SquaredDistanceKernel>(matrix, firstRow, query, distances);

    private static unsafe void ScoreRows<TKernel>(ReadOnlySpan<float> matrix, int firstRow, ReadOnlySpan<float> query, Span<float> scores)
        where TKernel : IRowKernel
    {
        int dimensions = query.Length;
        var rows = matrix.Slice(firstRow * dimensions, scores.Length * dimensions);
        if (!Sse.IsSupported)
        {
            for (int i = 0; i < scores.Length; i++)
            {
                scores[i] = TKernel.Score(rows.Slice(i * dimensions, dimensions), query);
            }

            return;
        }

        int rowBytes = dimensions * sizeof(float);
        fixed (float* start = matrix)
        {
            byte* end = (byte*)(start + matrix.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + PrefetchDistanceBytes;
            for (int i = 0; i < scores.Length; i++, ahead += rowBytes)
            {
                Prefetch(ahead, rowBytes, end);
                scores[i] = TKernel.Score(rows.Slice(i * dimensions, dimensions), query);
            }
        }
    }

    /// <summary>
    /// Asks the CPU to load the cache lines of the <paramref name="length"/> bytes at <paramref name="start"/> (those before
    /// <paramref name="end"/>, the end of the scanned array) into the cache. Callers check <see cref="Sse.IsSupported"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(byte* start, int length, byte* end)
    {
        byte* stop = start + length < end ? start + length : end;
        for (byte* line = start; line < stop; line += CacheLineBytes)
        {
            Sse.Prefetch0(line);
        }
    }

    /// <summary>Returns the squared Euclidean distance of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float distance = TensorPrimitives.Distance(a, b);
        return distance * distance;
    }

    /// <summary>How <see cref="ScoreRows{TKernel}"/> scores one row (a static interface, so each kernel's loop is compiled for it, with no call through a delegate).</summary>
    private interface IRowKernel
    {
        static abstract float Score(ReadOnlySpan<float> row, ReadOnlySpan<float> query);
    }

    private readonly struct DotKernel : IRowKernel
    {
        public static float Score(ReadOnlySpan<float> row, ReadOnlySpan<float> query) => TensorPrimitives.Dot(row, query);
    }

    private readonly struct SquaredDistanceKernel : IRowKernel
    {
        public static float Score(ReadOnlySpan<float> row, ReadOnlySpan<float> query) => SquaredDistance(row, query);
    }
}
