using System.Buffers;
using System.Numerics.Tensors;

namespace AiEng.Retrieval;

/// <summary>
/// Exact nearest-neighbour search: scans every row of the <see cref="VectorMatrix"/> in blocks with SIMD dot products
/// and keeps the best in a <see cref="TopKHeap"/>. Holds no state of its own beyond the matrix.
/// </summary>
internal sealed class ExactVectorIndex : IVectorIndex
{
    private const int BlockRows = 64;

    private readonly VectorMatrix _matrix;
    private readonly VectorMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="ExactVectorIndex"/> class.</summary>
    public ExactVectorIndex(VectorMatrix matrix, VectorMetric metric)
    {
        _matrix = matrix;
        _metric = metric;
    }

    /// <inheritdoc/>
    public void EnsureCapacity(int slots)
    {
    }

    /// <inheritdoc/>
    public void SetRange(ReadOnlySpan<int> slots)
    {
    }

    /// <inheritdoc/>
    public void Remove(int slot)
    {
    }

    /// <inheritdoc/>
    public void Search(ReadOnlySpan<float> query, int slotCount, Func<int, bool> accept, TopKHeap results)
    {
        var buffer = ArrayPool<float>.Shared.Rent(query.Length);
        try
        {
            var prepared = VectorMetrics.PrepareQuery(_metric, query, buffer.AsSpan(0, query.Length));
            bool euclidean = VectorMetrics.IsEuclidean(_metric);
            bool cosine = VectorMetrics.IsCosine(_metric);
            var data = _matrix.Data;
            var inverseNorms = _matrix.InverseNorms;
            int dimensions = _matrix.Dimensions;
            Span<float> scores = stackalloc float[BlockRows];
            for (int start = 0; start < slotCount; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, slotCount - start);
                var block = scores[..rows];
                if (euclidean)
                {
                    // Higher is better inside the index: rank by the negated squared distance.
                    VectorKernels.SquaredDistanceRows(data, start, prepared, block);
                    TensorPrimitives.Negate(block, block);
                }
                else
                {
                    VectorKernels.DotRows(data, start, prepared, block);
                    if (cosine)
                    {
                        TensorPrimitives.Multiply(block, inverseNorms.Slice(start, rows), block);
                    }
                }

                float threshold = results.Threshold;
                for (int i = 0; i < rows; i++)
                {
                    if (block[i] >= threshold && accept(start + i))
                    {
                        results.Offer(block[i], start + i);
                        threshold = results.Threshold;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Returns the exact internal score of row <paramref name="slot"/> for a query from <see cref="VectorMetrics.PrepareQuery"/>.</summary>
    public static float Score(VectorMatrix matrix, VectorMetric metric, int slot, ReadOnlySpan<float> prepared)
    {
        var row = matrix.Row(slot);
        if (VectorMetrics.IsEuclidean(metric))
        {
            return -VectorKernels.SquaredDistance(row, prepared);
        }

        float dot = TensorPrimitives.Dot(row, prepared);
        return VectorMetrics.IsCosine(metric) ? dot * matrix.InverseNorms[slot] : dot;
    }
}
