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
    /// Takes the first path the CPU supports; every path returns exactly <see cref="Dot"/> of each row (a product is at
    /// most 127 * 127 in magnitude; the int32 sums overflow only past 133,000 dimensions, where <see cref="Dot"/> does too).
    /// Each vector path scores four rows at a time, so that each query load serves four rows and four independent sums are
    /// in flight; the last rows of a block (fewer than four) and the columns past the last full vector take
    /// <see cref="Dot"/>.
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// AVX-VNNI (<see cref="DotRowsAvxVnni"/>): vpdpbusd multiplies 32 unsigned bytes by 32 signed bytes and adds each group
    /// of four products to an int32 lane, with no widening. Both sides are signed, so it is given <c>|q|</c> and
    /// <c>r * sign(q)</c> (vpabsb, vpsignb), whose product is <c>q * r</c>; neither overflows a byte, since no code is
    /// -128. Nothing needs correcting afterwards, so nothing is stored beside the codes (an offset query, <c>q + 128</c>,
    /// would need each row's code sum, read along with the codes). .NET 10 offers vpdpbusd at 256 bits only
    /// (<see cref="AvxVnni"/>; it has no AVX512-VNNI class).
    /// </description></item>
    /// <item><description>
    /// AVX-512BW (<see cref="DotRowsAvx512BW"/>): sign-extend 32 row bytes to 16-bit lanes (vpmovsxbw) and multiply-add
    /// them with the widened query (vpmaddwd), 512 bits at a time.
    /// </description></item>
    /// <item><description>AVX2 (<see cref="DotRowsAvx2"/>): the AVX-512BW loop at 256 bits.</description></item>
    /// <item><description>Otherwise <see cref="Dot"/> per row (<see cref="DotRowsPortable"/>).</description></item>
    /// </list>
    /// <para>
    /// Each row byte is read once, a quarter of the bytes of the float scan. As in <see cref="VectorKernels.DotRows"/>, the
    /// rows <see cref="VectorKernels.PrefetchDistanceBytes"/> ahead are prefetched, since a scan of a matrix larger than the
    /// cache is bound by memory bandwidth: over 200,000 x 384 codes the variants measured (one or four rows, each path) were
    /// all within the run-to-run noise of the shared 2-core Zen 5 development VM (about 2 to 3.5 ms per pass). They differ
    /// in computation, which shows when the codes fit in the cache (20,000 x 384 codes, best of 30 passes, six rounds on that
    /// VM): AVX-VNNI 0.085-0.093 ms (one row at a time: 0.140-0.144), AVX-512BW 0.094-0.105 ms (one row at a time, the
    /// kernel before AVX-VNNI was added: 0.140-0.160), AVX2 0.173-0.179 ms (one row at a time: 0.204-0.232). Hence AVX-VNNI
    /// before AVX-512BW. AVX-VNNI with stored row sums instead of vpsignb was no faster (0.086-0.112 ms) and reads the sums
    /// besides the codes, so it was not kept.
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
        ref int resultRef = ref MemoryMarshal.GetReference(results);
        int vectorEnd = dimensions & ~31;
        int r = 0;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
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

                SumEach(sum0, sum1, sum2, sum3).StoreUnsafe(ref resultRef, (nuint)r);
            }
        }

        AddTails(rows, query, vectorEnd, results[..r]);
        DotRowsPortable(rows, r, query, results[r..]);
    }

    /// <summary>The AVX-512BW path of <see cref="DotRows"/>; the caller checks <see cref="Avx512BW.IsSupported"/>.</summary>
    internal static unsafe void DotRowsAvx512BW(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref short queryRef = ref MemoryMarshal.GetReference(queryWide);
        ref int resultRef = ref MemoryMarshal.GetReference(results);
        int vectorEnd = dimensions & ~31;
        int r = 0;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
            for (; r <= results.Length - 4; r += 4, ahead += 4 * dimensions)
            {
                VectorKernels.Prefetch(ahead, 4 * dimensions, end);
                ref sbyte row0 = ref Unsafe.Add(ref rowRef, r * dimensions);
                ref sbyte row1 = ref Unsafe.Add(ref row0, dimensions);
                ref sbyte row2 = ref Unsafe.Add(ref row1, dimensions);
                ref sbyte row3 = ref Unsafe.Add(ref row2, dimensions);
                Vector512<int> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
                for (int d = 0; d < vectorEnd; d += 32)
                {
                    var q = Vector512.LoadUnsafe(ref queryRef, (nuint)d);
                    sum0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row0, (nuint)d)), q);
                    sum1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row1, (nuint)d)), q);
                    sum2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row2, (nuint)d)), q);
                    sum3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref row3, (nuint)d)), q);
                }

                SumEach(sum0, sum1, sum2, sum3).StoreUnsafe(ref resultRef, (nuint)r);
            }
        }

        AddTails(rows, query, vectorEnd, results[..r]);
        DotRowsPortable(rows, r, query, results[r..]);
    }

    /// <summary>The AVX2 path of <see cref="DotRows"/>; the caller checks <see cref="Avx2.IsSupported"/>.</summary>
    internal static unsafe void DotRowsAvx2(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results)
    {
        // The AVX-512BW loop at half the width: the intrinsics differ per width, so the two cannot share code.
        int dimensions = query.Length;
        var rows = codes.Slice(firstRow * dimensions, results.Length * dimensions);
        ref sbyte rowRef = ref MemoryMarshal.GetReference(rows);
        ref short queryRef = ref MemoryMarshal.GetReference(queryWide);
        ref int resultRef = ref MemoryMarshal.GetReference(results);
        int vectorEnd = dimensions & ~15;
        int r = 0;
        fixed (sbyte* start = codes)
        {
            byte* end = (byte*)(start + codes.Length);
            byte* ahead = (byte*)(start + ((long)firstRow * dimensions)) + VectorKernels.PrefetchDistanceBytes;
            for (; r <= results.Length - 4; r += 4, ahead += 4 * dimensions)
            {
                VectorKernels.Prefetch(ahead, 4 * dimensions, end);
                ref sbyte row0 = ref Unsafe.Add(ref rowRef, r * dimensions);
                ref sbyte row1 = ref Unsafe.Add(ref row0, dimensions);
                ref sbyte row2 = ref Unsafe.Add(ref row1, dimensions);
                ref sbyte row3 = ref Unsafe.Add(ref row2, dimensions);
                Vector256<int> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
                for (int d = 0; d < vectorEnd; d += 16)
                {
                    var q = Vector256.LoadUnsafe(ref queryRef, (nuint)d);
                    sum0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row0, (nuint)d)), q);
                    sum1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row1, (nuint)d)), q);
                    sum2 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row2, (nuint)d)), q);
                    sum3 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row3, (nuint)d)), q);
                }

                SumEach(sum0, sum1, sum2, sum3).StoreUnsafe(ref resultRef, (nuint)r);
            }
        }

        AddTails(rows, query, vectorEnd, results[..r]);
        DotRowsPortable(rows, r, query, results[r..]);
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

    // Adds to each result the dot product of its row's codes past the vectorised columns (from column start) with the
    // query's; nothing when every column was vectorised.
    private static void AddTails(ReadOnlySpan<sbyte> rows, ReadOnlySpan<sbyte> query, int start, Span<int> results)
    {
        if (start == query.Length)
        {
            return;
        }

        for (int r = 0; r < results.Length; r++)
        {
            results[r] += Dot(rows.Slice((r * query.Length) + start, query.Length - start), query[start..]);
        }
    }

    // The lane sums of four accumulators, lane i of the result holding the sum of the i-th: the halves are added down to
    // 128 bits, then two rounds of pairwise horizontal adds (phaddd) finish all four at once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SumEach(Vector512<int> a, Vector512<int> b, Vector512<int> c, Vector512<int> d) =>
        SumEach(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SumEach(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d) =>
        SumEach(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SumEach(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d) =>
        Ssse3.HorizontalAdd(Ssse3.HorizontalAdd(a, b), Ssse3.HorizontalAdd(c, d));
}
