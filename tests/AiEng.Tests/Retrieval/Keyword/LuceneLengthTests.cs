using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Keyword;

public class LuceneLengthTests
{
    [Theory]
    [InlineData(1, 124, 1.0)]
    [InlineData(2, 121, 2.56)]
    [InlineData(3, 120, 4.0)]
    [InlineData(16, 116, 16.0)]
    [InlineData(100, 110, 113.778)]
    [InlineData(1000, 104, 1024.0)]
    public void Rounds_a_length_through_lucenes_one_byte_norm(int length, int expectedByte, double expectedLength)
    {
        Assert.Equal(expectedByte, LuceneLength.Encode(1 / MathF.Sqrt(length)));
        Assert.Equal(expectedLength, LuceneLength.Round(length), 3);
    }

    [Fact]
    public void Encodes_zero_and_out_of_range_values_at_the_ends_of_the_byte()
    {
        Assert.Equal(0, LuceneLength.Encode(0));
        Assert.Equal(1, LuceneLength.Encode(1e-30f));
        Assert.Equal(255, LuceneLength.Encode(1e30f));
        Assert.Equal(0f, LuceneLength.Decode(0));
        Assert.Equal(0f, LuceneLength.Round(0));
    }
}
