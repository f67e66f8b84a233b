using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Chunking;

public class SentenceWindowChunkerTests
{
    [Fact]
    public void Makes_each_sentence_a_chunk_with_the_surrounding_sentences_as_its_window()
    {
        var document = new Document("d", "Alpha one. Beta two, e.g. this! Gamma three?\n\nDelta four. Epsilon five.");

        List<DocumentChunk> chunks = new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = 1 }).Chunk(document).ToList();

        Assert.Equal(["Alpha one.", "Beta two, e.g. this!", "Gamma three?", "Delta four.", "Epsilon five."], chunks.Select(c => c.Text));
        Assert.Equal(
            [
                "Alpha one. Beta two, e.g. this!",
                "Alpha one. Beta two, e.g. this! Gamma three?",
                "Beta two, e.g. this! Gamma three?\n\nDelta four.",
                "Gamma three?\n\nDelta four. Epsilon five.",
                "Delta four. Epsilon five.",
            ],
            chunks.Select(c => c.Metadata[SentenceWindowChunker.WindowKey]));
        Assert.All(chunks, c => Assert.Equal(
            c.Metadata[SentenceWindowChunker.WindowKey],
            document.Text[int.Parse(c.Metadata[SentenceWindowChunker.WindowStartKey])..int.Parse(c.Metadata[SentenceWindowChunker.WindowEndKey])]));
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void A_window_of_zero_is_the_sentence_itself_and_sections_give_heading_and_page()
    {
        var document = new Document("d", "First. Second.") { Sections = [new DocumentSection(0, 14) { HeadingPath = ["H"], Page = 3 }] };

        List<DocumentChunk> chunks = new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = 0 }).Chunk(document).ToList();

        Assert.Equal(["First.", "Second."], chunks.Select(c => c.Metadata[SentenceWindowChunker.WindowKey]));
        Assert.All(chunks, c => Assert.Equal(["H"], c.HeadingPath));
        Assert.All(chunks, c => Assert.Equal(3, c.Page));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = -1 }));
        Assert.Throws<ArgumentNullException>(() => new SentenceWindowChunker().Chunk(null!));
        Assert.Empty(new SentenceWindowChunker().Chunk(new Document("d", "  ")));
    }
}
