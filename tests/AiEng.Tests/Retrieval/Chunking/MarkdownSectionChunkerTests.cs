using AiEng.Retrieval;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;

namespace AiEng.Tests.Retrieval.Chunking;

public class MarkdownSectionChunkerTests
{
    private const string Guide = "Intro text.\n\n# Guide\n\nWelcome.\n\n## Install\n\nRun the installer.\n\n## Use\n\nCall the API.\n";

    [Fact]
    public async Task Prefixes_each_section_chunk_with_its_heading_path()
    {
        Document document = await LoadMarkdownAsync(Guide);

        List<DocumentChunk> chunks = new MarkdownSectionChunker(new WordTokenCounter()).Chunk(document).ToList();

        Assert.Equal(
            ["Intro text.", "Guide\n\n# Guide\n\nWelcome.", "Guide > Install\n\n## Install\n\nRun the installer.", "Guide > Use\n\n## Use\n\nCall the API."],
            chunks.Select(c => c.Text));
        Assert.Equal([0, "Guide\n\n".Length, "Guide > Install\n\n".Length, "Guide > Use\n\n".Length], chunks.Select(c => c.PrefixLength));
        Assert.Equal([[], ["Guide"], ["Guide", "Install"], ["Guide", "Use"]], chunks.Select(c => c.HeadingPath.ToArray()));
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public async Task Splits_a_large_section_within_the_size_including_the_prefix_and_never_across_sections()
    {
        ITokenCounter counter = TiktokenTokenCounter.O200kBase;
        string body = RecursiveTextChunkerTests.SampleText(30);
        Document document = await LoadMarkdownAsync($"# Handbook\n\n## Long chapter\n\n{body}\n## Next\n\nShort.\n");

        List<DocumentChunk> chunks = new MarkdownSectionChunker(counter, new ChunkerOptions { ChunkSize = 40, ChunkOverlap = 8 }).Chunk(document).ToList();

        List<DocumentChunk> chapter = chunks.Where(c => c.HeadingPath is [_, "Long chapter"]).ToList();
        Assert.True(chapter.Count > 3);
        Assert.All(chapter, c => Assert.StartsWith("Handbook > Long chapter\n\n", c.Text, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.InRange(counter.CountTokens(c.Text), 1, 40));
        Assert.All(chunks, c =>
        {
            DocumentSection section = document.FindSection(c.StartOffset)!;
            Assert.InRange(c.EndOffset, c.StartOffset, section.EndOffset);
        });
        Assert.Equal("Handbook > Next\n\n## Next\n\nShort.", chunks[^1].Text);
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void Keeps_the_page_of_pdf_sections_and_chunks_documents_without_sections_whole()
    {
        var pdf = new Document("p", "Page one text.\n\nPage two text.")
        {
            Sections = [new DocumentSection(0, 14) { Page = 1 }, new DocumentSection(16, 30) { Page = 2 }],
        };
        var chunker = new MarkdownSectionChunker(new WordTokenCounter());

        List<DocumentChunk> pages = chunker.Chunk(pdf).ToList();
        DocumentChunk plain = Assert.Single(chunker.Chunk(new Document("t", "No sections here.")));

        Assert.Equal([(1, "Page one text."), (2, "Page two text.")], pages.Select(c => (c.Page!.Value, c.Text)));
        Assert.Equal(("No sections here.", 0), (plain.Text, plain.PrefixLength));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new MarkdownSectionChunker(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarkdownSectionChunker(new WordTokenCounter(), new ChunkerOptions { ChunkSize = 0 }));
        Assert.Throws<ArgumentNullException>(() => new MarkdownSectionChunker(new WordTokenCounter()).Chunk(null!));
    }

    private static async Task<Document> LoadMarkdownAsync(string markdown) =>
        (await TestSources.LoadAsync(new MarkdownDocumentLoader(), TestSources.FromText(markdown, "guide.md"))).Documents.Single();
}
