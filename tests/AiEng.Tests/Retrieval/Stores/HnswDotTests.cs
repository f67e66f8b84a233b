using System.Numerics.Tensors;
using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Stores;

public class HnswDotTests
{
    [Fact]
    public void The_kernel_agrees_with_TensorPrimitives_for_every_length_up_to_200()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 200).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var y = Enumerable.Range(0, 200).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        for (int length = 1; length <= 200; length++)
        {
            float expected = TensorPrimitives.Dot(x.AsSpan(0, length), y.AsSpan(0, length));
            Assert.Equal(expected, HnswDot.Dot(ref x[0], ref y[0], length), 4);
        }
    }

    [Fact]
    public void The_kernel_reads_from_the_given_offsets()
    {
        float[] x = [9f, 9f, 1f, 2f, 3f];
        float[] y = [4f, 5f, 6f, 7f];

        Assert.Equal((1f * 5f) + (2f * 6f) + (3f * 7f), HnswDot.Dot(ref x[2], ref y[1], 3));
    }
}
