namespace AiEng.Retrieval;

public sealed class VectorKernelsTests
{
    [Fact]
    public void DotRows_writes_one_dot_product_per_row()
    {
        float[] rows = [1, 2, 3, 4, 5, 6, -1, 0, 1];
        var scores = new float[3];

        VectorKernels.DotRows(rows, 0, [1, 1, 1], scores);

        Assert.Equal([6f, 15f, 0f], scores);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(3, 7)]
    [InlineData(95, 5)]
    public void DotRows_scores_the_rows_from_the_first_row_given_up_to_the_end_of_the_matrix(int firstRow, int count)
    {
        var (matrix, query) = RandomMatrix();
        var scores = new float[count];

        VectorKernels.DotRows(matrix, firstRow, query, scores);

        AssertRows(matrix, firstRow, query, scores, static (x, q) => (double)x * q);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(3, 7)]
    [InlineData(95, 5)]
    public void SquaredDistanceRows_measures_the_rows_from_the_first_row_given_up_to_the_end_of_the_matrix(int firstRow, int count)
    {
        var (matrix, query) = RandomMatrix();
        var distances = new float[count];

        VectorKernels.SquaredDistanceRows(matrix, firstRow, query, distances);

        AssertRows(matrix, firstRow, query, distances, static (x, q) => ((double)x - q) * ((double)x - q));
    }

    [Fact]
    public void SquaredDistance_is_the_sum_of_squared_differences()
    {
        Assert.Equal(25f, VectorKernels.SquaredDistance([0, 0], [3, 4]), 4);
    }

    private const int Dimensions = 384;

    // 100 rows of 384 dimensions: the prefetch runs past the last row for the final rows and must stay harmless.
    private static (float[] Matrix, float[] Query) RandomMatrix()
    {
        var random = new Random(7);
        var matrix = new float[100 * Dimensions];
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] = (float)(random.NextDouble() - 0.5);
        }

        var query = new float[Dimensions];
        for (int i = 0; i < Dimensions; i++)
        {
            query[i] = (float)(random.NextDouble() - 0.5);
        }

        return (matrix, query);
    }

    // Checks each result against the sum over dimensions of term(row value, query value), in double precision.
    private static void AssertRows(float[] matrix, int firstRow, float[] query, float[] results, Func<float, float, double> term)
    {
        for (int i = 0; i < results.Length; i++)
        {
            double expected = 0;
            for (int d = 0; d < Dimensions; d++)
            {
                expected += term(matrix[((firstRow + i) * Dimensions) + d], query[d]);
            }

            Assert.Equal(expected, results[i], 1e-4);
        }
    }
}
