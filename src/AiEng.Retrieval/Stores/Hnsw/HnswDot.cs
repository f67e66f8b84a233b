using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AiEng.Retrieval;

/// <summary>
/// The inner product kernel of <see cref="HnswIndex"/>. On AVX-512 machines it is written by hand rather than calling
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, because the graph walk calls it
/// millions of times on short vectors at computed offsets: taking refs avoids building and checking two spans per call,
/// and four accumulators keep the FMA units busy. Elsewhere it calls TensorPrimitives. The summation order is fixed for a
/// given machine, so results are deterministic there.
/// </summary>
internal static class HnswDot
{
    /// <summary>
    /// Asks the CPU to start loading the cache lines of the <paramref name="length"/> floats at <paramref name="row"/> into
    /// the cache (<see cref="VectorKernels.Prefetch"/>); does nothing without SSE. A prefetch never faults, so a stale
    /// address (the array moved) is harmless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref float row, int length)
    {
        if (Sse.IsSupported)
        {
            byte* start = (byte*)Unsafe.AsPointer(ref row);
            int bytes = length * sizeof(float);
            VectorKernels.Prefetch(start, bytes, start + bytes);
        }
    }

    /// <summary>Returns the inner product of the <paramref name="length"/> floats at <paramref name="x"/> and <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float y, int length)
    {
        if (!Vector512.IsHardwareAccelerated || length < 16)
        {
            return TensorPrimitives.Dot(MemoryMarshal.CreateReadOnlySpan(ref x, length), MemoryMarshal.CreateReadOnlySpan(ref y, length));
        }

        nuint n = (nuint)length;
        nuint i = 0;
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var a3 = Vector512<float>.Zero;
        for (; i + 64 <= n; i += 64)
        {
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 16), Vector512.LoadUnsafe(ref y, i + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 32), Vector512.LoadUnsafe(ref y, i + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 48), Vector512.LoadUnsafe(ref y, i + 48), a3);
        }

        for (; i + 16 <= n; i += 16)
        {
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), a0);
        }

        float sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        }

        return sum;
    }
}
