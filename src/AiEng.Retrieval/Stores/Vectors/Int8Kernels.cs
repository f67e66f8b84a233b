using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AiEng.Retrieval;

/// <summary>
/// Symmetric int8 scalar quantisation and the int8 dot-product kernel of the quantised scan. A vector v is stored as
/// <c>q = round(v / s)</c> with one scale <c>s = max|v| / 127</c> per vector, so every component lies in [-127, 127]
/// and <c>dot(a, b) ~ s_a * s_b * dot(q_a, q_b)</c>.
/// </summary>
internal static class Int8Kernels
{
    /// <summary>Quantises <paramref name="vector"/> into <paramref name="quantized"/>.</summary>
    /// <returns>The scale: multiply an integer dot product by both vectors' scales to get the float one.</returns>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> quantized)
    {
        float max = vector.IsEmpty ? 0 : TensorPrimitives.MaxMagnitude(vector);
        max = Math.Abs(max);
        if (max == 0 || !float.IsFinite(max))
        {
            quantized.Clear();
            return 0;
        }

        float inverse = 127f / max;
        for (int i = 0; i < vector.Length; i++)
        {
            quantized[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127f, 127f);
        }

        return max / 127f;
    }

    /// <summary>Returns the integer dot product of two quantised vectors (portable reference implementation).</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Writes the integer dot product of the query with each of the <c>results.Length</c> consecutive rows of
    /// <paramref name="codes"/> (row length <c>query.Length</c>) that start at row <paramref name="firstRow"/> into
    /// <paramref name="results"/>.
    /// </summary>
    /// <param name="codes">The quantised matrix.</param>
    /// <param name="firstRow">The first row to score.</param>
    /// <param name="query">The quantised query.</param>
    /// <param name="queryWide">The query widened to 16 bits (<see cref="Widen"/>), so only the rows are widened in the loop.</param>
    /// <param name="results">The dot products.</param>
    /// <remarks>
    /// AVX-512BW/AVX2 path: sign-extend 32 (16) row bytes to 16-bit lanes (vpmovsxbw) and multiply-add them with the
    /// widened query (vpmaddwd, exact: |q| &lt;= 127 so pair sums fit in 32 bits). Each row byte is read once; the scan
    /// reads a quarter of the bytes of the float scan. As in <see cref="VectorKernels.DotRows"/>, the rows
    /// <see cref="VectorKernels.PrefetchDistanceBytes"/> ahead are prefetched, since the scan is bound by memory bandwidth.
    /// Other CPUs take the portable loop.
    /// </remarks>
    public static unsafe void DotRows(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref short queryRef = ref MemoryMarshal.GetReference(queryWide);
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
            if (Avx512BW.IsSupported && dimensions >= 32)
            {
                int vectorEnd = dimensions & ~31;
                for (int r = 0; r < results.Length; r++, ahead += dimensions)
                {
                    VectorKernels.Prefetch(ahead, dimensions, end);
                    ref sbyte row = ref Unsafe.Add(ref rowRef, r * dimensions);
                    var sum = Vector512<int>.Zero;
                    for (int d = 0; d < vectorEnd; d += 32)
                    {
                        var wide = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row, (nuint)d));
                        sum += Avx512BW.MultiplyAddAdjacent(wide, Vector512.LoadUnsafe(ref queryRef, (nuint)d));
                    }

                    results[r] = Vector512.Sum(sum) + (vectorEnd == dimensions ? 0 : Tail(rows.Slice(r * dimensions, dimensions), query, vectorEnd));
                }
            }
            else if (Avx2.IsSupported && dimensions >= 16)
            {
                // The same loop as above at half the width: the intrinsics differ per width, so the two cannot share code.
                int vectorEnd = dimensions & ~15;
                for (int r = 0; r < results.Length; r++, ahead += dimensions)
                {
                    VectorKernels.Prefetch(ahead, dimensions, end);
                    ref sbyte row = ref Unsafe.Add(ref rowRef, r * dimensions);
                    var sum = Vector256<int>.Zero;
                    for (int d = 0; d < vectorEnd; d += 16)
                    {
                        var wide = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)d));
                        sum += Avx2.MultiplyAddAdjacent(wide, Vector256.LoadUnsafe(ref queryRef, (nuint)d));
                    }

                    results[r] = Vector256.Sum(sum) + (vectorEnd == dimensions ? 0 : Tail(rows.Slice(r * dimensions, dimensions), query, vectorEnd));
                }
            }
            else
            {
                for (int r = 0; r < results.Length; r++)
                {
                    results[r] = Dot(rows.Slice(r * dimensions, dimensions), query);
                }
            }
        }
    }

    /// <summary>Sign-extends <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Widen(ReadOnlySpan<sbyte> source, Span<short> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static int Tail(ReadOnlySpan<sbyte> row, ReadOnlySpan<sbyte> query, int start) => Dot(row[start..], query[start..]);
}
