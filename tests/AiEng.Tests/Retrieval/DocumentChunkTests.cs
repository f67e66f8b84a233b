using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval;

public class DocumentChunkTests
{
    [Fact]
    public void Rejects_offsets_that_do_not_form_a_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunk("d", 0, "x", 5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunk("d", 0, "x", -1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunk("d", -1, "x", 0, 1));
    }

    [Fact]
    public void Defaults_to_no_prefix_heading_page_or_metadata()
    {
        var chunk = new DocumentChunk("d", 2, "text", 10, 14);

        Assert.Equal(("d", 2, 10, 14, 0), (chunk.DocumentId, chunk.Index, chunk.StartOffset, chunk.EndOffset, chunk.PrefixLength));
        Assert.Empty(chunk.HeadingPath);
        Assert.Null(chunk.Page);
        Assert.Empty(chunk.Metadata);
    }
}
