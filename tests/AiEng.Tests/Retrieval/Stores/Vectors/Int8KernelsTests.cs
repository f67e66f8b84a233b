namespace AiEng.Retrieval;

public sealed class Int8KernelsTests
{
    [Fact]
    public void Quantize_uses_the_full_range_and_returns_the_scale()
    {
        var codes = new sbyte[3];

        float scale = Int8Kernels.Quantize([0.5f, -1f, 0.25f], codes);

        Assert.Equal([64, -127, 32], codes.Select(c => (int)c));
        Assert.Equal(1f / 127, scale, 6);
    }

    [Fact]
    public void Quantize_maps_a_zero_vector_to_zero()
    {
        var codes = new sbyte[] { 5, 5 };

        Assert.Equal(0f, Int8Kernels.Quantize([0f, 0f], codes));
        Assert.Equal([0, 0], codes.Select(c => (int)c));
    }

    [Theory]
    [InlineData(384)]
    [InlineData(37)]
    [InlineData(8)]
    public void DotRows_matches_the_scalar_dot_product_for_every_row_from_the_first_row_given(int dimensions)
    {
        var random = new Random(dimensions);
        const int Rows = 9;
        var rows = new sbyte[Rows * dimensions];
        var query = new sbyte[dimensions];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (sbyte)random.Next(-127, 128);
        }

        for (int i = 0; i < dimensions; i++)
        {
            query[i] = (sbyte)random.Next(-127, 128);
        }

        var wide = new short[dimensions];
        Int8Kernels.Widen(query, wide);
        const int FirstRow = 2;
        var results = new int[Rows - FirstRow];

        Int8Kernels.DotRows(rows, FirstRow, query, wide, results);

        for (int r = 0; r < results.Length; r++)
        {
            Assert.Equal(Int8Kernels.Dot(rows.AsSpan((FirstRow + r) * dimensions, dimensions), query), results[r]);
        }

        Assert.Equal(127 * 127 * dimensions, Int8Kernels.Dot(Enumerable.Repeat((sbyte)-127, dimensions).ToArray(), Enumerable.Repeat((sbyte)-127, dimensions).ToArray()));
    }
}
