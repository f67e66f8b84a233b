using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AiEng.Retrieval;

/// <summary>
/// Quantised exact-rescored search: a second contiguous <see cref="sbyte"/> matrix holds every vector quantised with a
/// symmetric per-vector scale (<see cref="Int8Kernels.Quantize"/>; cosine rows are normalised first). A search scans the
/// int8 matrix (a quarter of the bytes of the float scan), keeps the best <c>k * rescoreMultiplier</c> candidates, and
/// ranks those by their exact float score from the <see cref="VectorMatrix"/>.
/// </summary>
/// <remarks>
/// A per-vector scale keeps each row's full 8-bit range whatever its magnitude, which a global scale would waste on rows
/// smaller than the largest; with rescoring, recall@10 stays at or above 0.99 on embedding-like data (see the
/// <c>vectors</c> benchmark).
/// </remarks>
internal sealed class Int8VectorIndex : IVectorIndex
{
    private const int BlockRows = 256;

    private readonly VectorMatrix _matrix;
    private readonly VectorMetric _metric;
    private readonly int _rescoreMultiplier;
    private sbyte[] _codes;
    private float[] _scales;
    private float[] _squaredNorms;

    /// <summary>Initializes a new instance of the <see cref="Int8VectorIndex"/> class.</summary>
    public Int8VectorIndex(VectorMatrix matrix, VectorMetric metric, int rescoreMultiplier)
    {
        _matrix = matrix;
        _metric = metric;
        _rescoreMultiplier = rescoreMultiplier;
        _codes = new sbyte[matrix.Capacity * matrix.Dimensions];
        _scales = new float[matrix.Capacity];
        _squaredNorms = new float[matrix.Capacity];
    }

    /// <inheritdoc/>
    public void EnsureCapacity(int slots)
    {
        if (slots > _scales.Length)
        {
            // The matrix has already grown by doubling; follow its capacity.
            int capacity = Math.Max(slots, _matrix.Capacity);
            Array.Resize(ref _codes, capacity * _matrix.Dimensions);
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _squaredNorms, capacity);
        }
    }

    /// <inheritdoc/>
    public void SetRange(ReadOnlySpan<int> slots)
    {
        foreach (int slot in slots)
        {
            Quantize(slot);
        }
    }

    // Quantises row slot of the matrix into the codes.
    private void Quantize(int slot)
    {
        var vector = _matrix.Row(slot);
        int dimensions = _matrix.Dimensions;
        var codes = _codes.AsSpan(slot * dimensions, dimensions);
        if (VectorMetrics.IsCosine(_metric))
        {
            var buffer = ArrayPool<float>.Shared.Rent(dimensions);
            var normalised = buffer.AsSpan(0, dimensions);
            TensorPrimitives.Multiply(vector, _matrix.InverseNorms[slot], normalised);
            _scales[slot] = Int8Kernels.Quantize(normalised, codes);
            ArrayPool<float>.Shared.Return(buffer);
        }
        else
        {
            _scales[slot] = Int8Kernels.Quantize(vector, codes);
        }

        _squaredNorms[slot] = TensorPrimitives.Dot(vector, vector);
    }

    /// <inheritdoc/>
    public void Remove(int slot)
    {
        _codes.AsSpan(slot * _matrix.Dimensions, _matrix.Dimensions).Clear();
        _scales[slot] = 0;
        _squaredNorms[slot] = 0;
    }

    /// <inheritdoc/>
    public void Search(ReadOnlySpan<float> query, int slotCount, Func<int, bool> accept, TopKHeap results)
    {
        int dimensions = _matrix.Dimensions;
        var floatBuffer = ArrayPool<float>.Shared.Rent(dimensions);
        var codeBuffer = ArrayPool<sbyte>.Shared.Rent(dimensions);
        var wideBuffer = ArrayPool<short>.Shared.Rent(dimensions);
        var dotBuffer = ArrayPool<int>.Shared.Rent(BlockRows);
        try
        {
            var prepared = VectorMetrics.PrepareQuery(_metric, query, floatBuffer.AsSpan(0, dimensions));
            var queryCodes = codeBuffer.AsSpan(0, dimensions);
            var queryWide = wideBuffer.AsSpan(0, dimensions);
            float queryScale = Int8Kernels.Quantize(prepared, queryCodes);
            Int8Kernels.Widen(queryCodes, queryWide);

            // The approximate score of a row is dot(codes) * row scale * query scale. For Euclidean metrics,
            // |x - q|^2 = |x|^2 - 2 x.q + |q|^2 and |q|^2 is the same for every row, so rows rank by 2 x.q - |x|^2.
            bool euclidean = VectorMetrics.IsEuclidean(_metric);
            float factor = euclidean ? 2 * queryScale : queryScale;
            var candidates = new TopKHeap(checked(results.Capacity * _rescoreMultiplier), results.TieBreak);
            var dots = dotBuffer.AsSpan(0, BlockRows);
            for (int start = 0; start < slotCount; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, slotCount - start);
                Int8Kernels.DotRows(_codes, start, queryCodes, queryWide, dots[..rows]);
                OfferBlock(dots[..rows], start, factor, euclidean, accept, candidates);
            }

            int count = candidates.Count;
            var slots = ArrayPool<int>.Shared.Rent(count);
            var scores = ArrayPool<float>.Shared.Rent(count);
            candidates.Drain(slots, scores);
            for (int i = 0; i < count; i++)
            {
                results.Offer(ExactVectorIndex.Score(_matrix, _metric, slots[i], prepared), slots[i]);
            }

            ArrayPool<int>.Shared.Return(slots);
            ArrayPool<float>.Shared.Return(scores);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floatBuffer);
            ArrayPool<sbyte>.Shared.Return(codeBuffer);
            ArrayPool<short>.Shared.Return(wideBuffer);
            ArrayPool<int>.Shared.Return(dotBuffer);
        }
    }

    /// <summary>
    /// Scores the rows from <paramref name="start"/> whose integer dot products are <paramref name="dots"/> and offers to
    /// <paramref name="candidates"/>, in row order, those that reach their threshold and that <paramref name="accept"/>
    /// accepts.
    /// </summary>
    /// <param name="dots">The integer dot products of the rows' codes with the query's.</param>
    /// <param name="start">The first row.</param>
    /// <param name="factor">The query scale (twice it for Euclidean metrics).</param>
    /// <param name="euclidean">Whether to subtract each row's squared norm.</param>
    /// <param name="accept">Whether a row may be returned.</param>
    /// <param name="candidates">The best candidates so far.</param>
    /// <remarks>
    /// One pass over the block: once the candidates are full almost no row reaches the threshold, so whole vectors of
    /// scores are computed and compared with it, and only the lanes that pass are visited. This matters because the scan
    /// is bound by memory and no rows are read while this runs (the kernel prefetches only a few rows ahead), so its time
    /// adds to the scan's. Computing the scores with three TensorPrimitives calls per block and then comparing row by row
    /// made up about a quarter of the int8 search time: over 200,000 x 384 codes on the 2-core development VM (best chunk of
    /// three rounds, tiered compilation off), 3.35 ms per query with that code, 2.56 ms with the comparisons left out, and
    /// 2.57 ms with this pass.
    /// </remarks>
    private void OfferBlock(ReadOnlySpan<int> dots, int start, float factor, bool euclidean, Func<int, bool> accept, TopKHeap candidates)
    {
        var scales = _scales.AsSpan(start, dots.Length);
        var squaredNorms = _squaredNorms.AsSpan(start, dots.Length);
        float threshold = candidates.Threshold;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int dotRef = ref MemoryMarshal.GetReference(dots);
            ref float scaleRef = ref MemoryMarshal.GetReference(scales);
            ref float squaredNormRef = ref MemoryMarshal.GetReference(squaredNorms);
            for (; i <= dots.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                // The same operations in the same order as the scalar loop below, so both give the same scores.
                var scores = Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref dotRef, (nuint)i)) * Vector256.LoadUnsafe(ref scaleRef, (nuint)i) * factor;
                if (euclidean)
                {
                    scores -= Vector256.LoadUnsafe(ref squaredNormRef, (nuint)i);
                }

                uint passing = Vector256.GreaterThanOrEqual(scores, Vector256.Create(threshold)).ExtractMostSignificantBits();
                while (passing != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(passing);
                    passing &= passing - 1;

                    // The threshold may have risen since the comparison, when an earlier lane was offered.
                    float score = scores.GetElement(lane);
                    if (score >= threshold && accept(start + i + lane))
                    {
                        candidates.Offer(score, start + i + lane);
                        threshold = candidates.Threshold;
                    }
                }
            }
        }

        for (; i < dots.Length; i++)
        {
            float score = dots[i] * scales[i] * factor;
            if (euclidean)
            {
                score -= squaredNorms[i];
            }

            if (score >= threshold && accept(start + i))
            {
                candidates.Offer(score, start + i);
                threshold = candidates.Threshold;
            }
        }
    }
}
