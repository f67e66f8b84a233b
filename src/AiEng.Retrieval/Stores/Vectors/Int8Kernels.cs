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
    /// <paramref name="results"/>. Every code must lie in [-127, 127], as <see cref="Quantize"/> writes them.
    /// </summary>
    /// <param name="codes">The quantised matrix.</param>
    /// <param name="firstRow">The first row to score.</param>
    /// <param name="query">The quantised query.</param>
    /// <param name="queryWide">The query widened to 16 bits (<see cref="Widen"/>), read by the AVX-512BW and AVX2 paths.</param>
    /// <param name="results">The dot products.</param>
    /// <remarks>
    /// <para>
    /// Takes the first path the CPU supports; every path returns exactly <see cref="Dot"/> of each row:
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// AVX-VNNI (<see cref="DotRowsAvxVnni"/>): vpdpbusd multiplies 32 unsigned bytes by 32 signed bytes and adds each group
    /// of four products to an int32 lane, one instruction per 32 codes with no widening. Both sides are signed, so it is
    /// fed <c>|q|</c> and <c>r * sign(q)</c> (vpabsb, vpsignb), whose product is <c>q * r</c>. Four rows are scored at
    /// once, sharing the query loads.
    /// </description></item>
    /// <item><description>
    /// AVX-512BW / AVX2 (<see cref="DotRowsAvx512BW"/>, <see cref="DotRowsAvx2"/>): sign-extend 32 (16) row bytes to 16-bit
    /// lanes (vpmovsxbw) and multiply-add them with the widened query (vpmaddwd).
    /// </description></item>
    /// <item><description>Otherwise the portable loop (<see cref="DotRowsPortable"/>).</description></item>
    /// </list>
    /// <para>
    /// The sums are exact: a product is at most 127 * 127 and each int32 lane adds at most <c>query.Length</c> of them.
    /// Each row byte is read once, a quarter of the bytes of the float scan. As in <see cref="VectorKernels.DotRows"/>, the
    /// rows <see cref="VectorKernels.PrefetchDistanceBytes"/> ahead are prefetched, since the scan is bound by memory
    /// bandwidth.
    /// </para>
    /// </remarks>
    public static void DotRows(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        int dimensions = query.Length;
        if (AvxVnni.IsSupported && dimensions >= 32)
        {
            DotRowsAvxVnni(codes, firstRow, query, results);
        }
        else if (Avx512BW.IsSupported && dimensions >= 32)
        {
            DotRowsAvx512BW(codes, firstRow, query, queryWide, results);
        }
        else if (Avx2.IsSupported && dimensions >= 16)
        {
            DotRowsAvx2(codes, firstRow, query, queryWide, results);
        }
        else
        {
            DotRowsPortable(codes, firstRow, query, results);
        }
    }

    /// <summary>The AVX-VNNI path of <see cref="DotRows"/>; the caller checks <see cref="AvxVnni.IsSupported"/>.</summary>
    internal static unsafe void DotRowsAvxVnni(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, Span<int> results)
    {
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref sbyte queryRef = ref MemoryMarshal.GetReference(query);
        int vectorEnd = dimensions & ~31;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
            int r = 0;
            for (; r <= results.Length - 4; r += 4, ahead += 4 * dimensions)
            {
                VectorKernels.Prefetch(ahead, 4 * dimensions, end);
                ref sbyte row0 = ref Unsafe.Add(ref rowRef, r * dimensions);
                ref sbyte row1 = ref Unsafe.Add(ref row0, dimensions);
                ref sbyte row2 = ref Unsafe.Add(ref row1, dimensions);
                ref sbyte row3 = ref Unsafe.Add(ref row2, dimensions);
                Vector256<int> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
                for (int d = 0; d < vectorEnd; d += 32)
                {
                    var signs = Vector256.LoadUnsafe(ref queryRef, (nuint)d);
                    var magnitudes = Avx2.Abs(signs);
                    sum0 = AvxVnni.MultiplyWideningAndAdd(sum0, magnitudes, Avx2.Sign(Vector256.LoadUnsafe(ref row0, (nuint)d), signs));
                    sum1 = AvxVnni.MultiplyWideningAndAdd(sum1, magnitudes, Avx2.Sign(Vector256.LoadUnsafe(ref row1, (nuint)d), signs));
                    sum2 = AvxVnni.MultiplyWideningAndAdd(sum2, magnitudes, Avx2.Sign(Vector256.LoadUnsafe(ref row2, (nuint)d), signs));
                    sum3 = AvxVnni.MultiplyWideningAndAdd(sum3, magnitudes, Avx2.Sign(Vector256.LoadUnsafe(ref row3, (nuint)d), signs));
                }

                results[r] = Vector256.Sum(sum0) + Tail(rows, r, query, vectorEnd);
                results[r + 1] = Vector256.Sum(sum1) + Tail(rows, r + 1, query, vectorEnd);
                results[r + 2] = Vector256.Sum(sum2) + Tail(rows, r + 2, query, vectorEnd);
                results[r + 3] = Vector256.Sum(sum3) + Tail(rows, r + 3, query, vectorEnd);
            }

            // The last rows of the block (fewer than four), one at a time.
            for (; r < results.Length; r++, ahead += dimensions)
            {
                VectorKernels.Prefetch(ahead, dimensions, end);
                ref sbyte row = ref Unsafe.Add(ref rowRef, r * dimensions);
                var sum = Vector256<int>.Zero;
                for (int d = 0; d < vectorEnd; d += 32)
                {
                    var signs = Vector256.LoadUnsafe(ref queryRef, (nuint)d);
                    sum = AvxVnni.MultiplyWideningAndAdd(sum, Avx2.Abs(signs), Avx2.Sign(Vector256.LoadUnsafe(ref row, (nuint)d), signs));
                }

                results[r] = Vector256.Sum(sum) + Tail(rows, r, query, vectorEnd);
            }
        }
    }

    /// <summary>The AVX-512BW path of <see cref="DotRows"/>; the caller checks <see cref="Avx512BW.IsSupported"/>.</summary>
    internal static unsafe void DotRowsAvx512BW(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref short queryRef = ref MemoryMarshal.GetReference(queryWide);
        int vectorEnd = dimensions & ~31;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
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

                results[r] = Vector512.Sum(sum) + Tail(rows, r, query, vectorEnd);
            }
        }
    }

    /// <summary>The AVX2 path of <see cref="DotRows"/>; the caller checks <see cref="Avx2.IsSupported"/>.</summary>
    internal static unsafe void DotRowsAvx2(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        // The AVX-512BW loop at half the width: the intrinsics differ per width, so the two cannot share code.
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref short queryRef = ref MemoryMarshal.GetReference(queryWide);
        int vectorEnd = dimensions & ~15;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
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

                results[r] = Vector256.Sum(sum) + Tail(rows, r, query, vectorEnd);
            }
        }
    }

    /// <summary>The portable path of <see cref="DotRows"/>: <see cref="Dot"/> per row.</summary>
    internal static void DotRowsPortable(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, Span<int> results)
    {
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        for (int r = 0; r < results.Length; r++)
        {
            results[r] = Dot(rows.Slice(r * dimensions, dimensions), query);
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

    // The dot product of the codes of row r of rows past the vectorised part (from column start) with the query's.
    private static int Tail(ReadOnlySpan<sbyte> rows, int r, ReadOnlySpan<sbyte> query, int start) =>
        start == query.Length ? 0 : Dot(rows.Slice((r * query.Length) + start, query.Length - start), query[start..]);
}
