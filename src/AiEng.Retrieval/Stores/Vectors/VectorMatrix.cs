namespace AiEng.Retrieval;

/// <summary>
/// One contiguous row-major <see cref="float"/> matrix holding a collection's vectors, one row per slot, with each row's
/// inverse L2 norm. Rows are stored as given (not normalised) so vectors come back bit-exact; cosine scans multiply the
/// dot product by the inverse norm instead, which costs one multiply per row. Grows by doubling. Not thread-safe: the
/// owning store serialises writes against reads.
/// </summary>
internal sealed class VectorMatrix
{
    private float[] _data;
    private float[] _inverseNorms;

    /// <summary>Initializes a new instance of the <see cref="VectorMatrix"/> class.</summary>
    public VectorMatrix(int dimensions, int initialCapacity = 16)
    {
        Dimensions = dimensions;
        Capacity = Math.Max(1, initialCapacity);
        _data = new float[checked(Capacity * dimensions)];
        _inverseNorms = new float[Capacity];
    }

    /// <summary>Gets the row length.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the number of rows allocated.</summary>
    public int Capacity { get; private set; }

    /// <summary>Gets the whole matrix, <see cref="Capacity"/> rows.</summary>
    public ReadOnlySpan<float> Data => _data;

    /// <summary>Gets the inverse L2 norm of every row (0 for a zero row).</summary>
    public ReadOnlySpan<float> InverseNorms => _inverseNorms;

    /// <summary>Gets row <paramref name="slot"/>.</summary>
    public ReadOnlySpan<float> Row(int slot) => _data.AsSpan(slot * Dimensions, Dimensions);

    /// <summary>Makes room for at least <paramref name="slots"/> rows, doubling the capacity as needed.</summary>
    /// <exception cref="InvalidOperationException">The matrix would exceed the largest array .NET can allocate.</exception>
    public void EnsureCapacity(int slots)
    {
        if (slots <= Capacity)
        {
            return;
        }

        long capacity = Capacity;
        while (capacity < slots)
        {
            capacity *= 2;
        }

        capacity = Math.Max(slots, Math.Min(capacity, Array.MaxLength / Dimensions));
        if (capacity * Dimensions > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The in-memory vector matrix cannot hold {slots} vectors of {Dimensions} dimensions (more than {Array.MaxLength} floats); use a persistent store.");
        }

        Array.Resize(ref _data, (int)capacity * Dimensions);
        Array.Resize(ref _inverseNorms, (int)capacity);
        Capacity = (int)capacity;
    }

    /// <summary>Copies <paramref name="vector"/> into row <paramref name="slot"/>.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_data.AsSpan(slot * Dimensions, Dimensions));
        _inverseNorms[slot] = VectorMetrics.InverseNorm(vector);
    }

    /// <summary>Zeroes row <paramref name="slot"/>.</summary>
    public void Clear(int slot)
    {
        _data.AsSpan(slot * Dimensions, Dimensions).Clear();
        _inverseNorms[slot] = 0;
    }
}
