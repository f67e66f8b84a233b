namespace AiEng.Retrieval;

public sealed class VectorMatrixTests
{
    [Fact]
    public void Grows_by_doubling_and_keeps_rows_and_inverse_norms()
    {
        var matrix = new VectorMatrix(2, initialCapacity: 2);
        matrix.Set(0, [3, 4]);
        matrix.Set(1, [0, 2]);

        matrix.EnsureCapacity(3);
        matrix.Set(2, [1, 0]);

        Assert.Equal(4, matrix.Capacity);
        Assert.Equal([3f, 4f], matrix.Row(0).ToArray());
        Assert.Equal(0.2f, matrix.InverseNorms[0], 6);
        Assert.Equal([1f, 0f], matrix.Row(2).ToArray());
    }

    [Fact]
    public void Clear_zeroes_a_row()
    {
        var matrix = new VectorMatrix(2);
        matrix.Set(0, [3, 4]);

        matrix.Clear(0);

        Assert.Equal([0f, 0f], matrix.Row(0).ToArray());
        Assert.Equal(0f, matrix.InverseNorms[0]);
    }
}
