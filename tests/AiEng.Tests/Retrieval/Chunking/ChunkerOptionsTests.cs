using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Chunking;

public class ChunkerOptionsTests
{
    [Fact]
    public void Defaults_to_512_tokens_with_64_of_overlap()
    {
        var options = new ChunkerOptions();

        Assert.Equal((512, 64), (options.ChunkSize, options.ChunkOverlap));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(10, 11)]
    [InlineData(10, -1)]
    public void Rejects_a_size_below_one_or_an_overlap_outside_zero_to_size(int size, int overlap)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecursiveTextChunker(new WordTokenCounter(), new ChunkerOptions { ChunkSize = size, ChunkOverlap = overlap }));
    }

    [Fact]
    public void Later_changes_to_the_options_have_no_effect()
    {
        var options = new ChunkerOptions { ChunkSize = 2, ChunkOverlap = 0 };
        var chunker = new RecursiveTextChunker(new WordTokenCounter(), options);

        options.ChunkSize = 100;

        Assert.Equal(["a b", "c d"], chunker.Chunk(new Document("d", "a b c d")).Select(c => c.Text));
    }
}
