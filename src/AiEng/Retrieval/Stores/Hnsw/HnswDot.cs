using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AiEng.Retrieval;

/// <summary>
/// The inner product kernel of <see cref="HnswIndex"/>. Written by hand rather than calling
/// <c>TensorPrimitives.Dot</c> because the graph walk calls it millions of times on short vectors at computed offsets:
/// taking refs avoids building and checking two spans per call, and four accumulators keep the FMA units busy. The
/// summation order is fixed for a given machine, so results are deterministic there.
/// </summary>
internal static class HnswDot
{
    /// <summary>Returns the inner product of the <paramref name="length"/> floats at <paramref name="x"/> and <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float y, int length)
    {
        nuint n = (nuint)length;
        nuint i = 0;
        float sum;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
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

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            var a2 = Vector256<float>.Zero;
            var a3 = Vector256<float>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 8), Vector256.LoadUnsafe(ref y, i + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 16), Vector256.LoadUnsafe(ref y, i + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 24), Vector256.LoadUnsafe(ref y, i + 24), a3);
            }

            for (; i + 8 <= n; i += 8)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), a0);
            }

            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        else
        {
            sum = 0;
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        }

        return sum;
    }
}
