namespace AiEng.Retrieval;

public sealed class VectorKernelsTests
{
    [Fact]
    public void DotRows_writes_one_dot_product_per_row()
    {
        float[] rows = [1, 2, 3, 4, 5, 6, -1, 0, 1];
        var scores = new float[3];

        VectorKernels.DotRows(rows, [1, 1, 1], scores);

        Assert.Equal([6f, 15f, 0f], scores);
    }

    [Fact]
    public void SquaredDistance_is_the_sum_of_squared_differences()
    {
        Assert.Equal(25f, VectorKernels.SquaredDistance([0, 0], [3, 4]), 4);
    }
}
