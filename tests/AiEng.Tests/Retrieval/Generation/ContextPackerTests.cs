using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Generation;

public class ContextPackerTests
{
    private const string Document = "alpha beta gamma delta epsilon";

    private static ContextPacker Packer(ContextPackerOptions? options = null) => new(new WordTokenCounter(), options);

    [Fact]
    public void Numbers_the_sources_and_puts_the_most_relevant_at_both_edges()
    {
        var chunks = Chunks.Ranked([.. Enumerable.Range(0, 5).Select(i => Chunks.Record($"doc{i}", 0, $"text {i}", title: $"Title {i}"))]);

        var packed = Packer().Pack(chunks);

        Assert.Equal("[1] text 0\n\n[2] text 2\n\n[3] text 4\n\n[4] text 3\n\n[5] text 1", packed.Text);
        Assert.Equal([1, 2, 3, 4, 5], packed.Citations.Select(c => c.Number));
        Assert.Equal(["doc0", "doc2", "doc4", "doc3", "doc1"], packed.Citations.Select(c => c.DocumentId));
        var first = packed.Citations[0];
        Assert.Equal(("Title 0", "docs/doc0.md", 0, 6, 1.0, "text 0"), (first.Title, first.Source, first.StartOffset, first.EndOffset, first.Score, first.Text));
        Assert.Equal(Chunks.KeysOf("doc0#0"), first.ChunkKeys);
        Assert.Equal(15, packed.TokenCount);
        Assert.Empty(packed.Dropped);
    }

    [Theory]
    [InlineData(ContextOrder.Relevance, "doc1,doc0,doc2")]
    [InlineData(ContextOrder.Document, "doc0,doc1,doc2")]
    [InlineData(ContextOrder.RelevanceAtEdges, "doc1,doc2,doc0")]
    public void Orders_the_sources_as_configured(ContextOrder order, string expected)
    {
        var chunks = Chunks.Ranked(Chunks.Record("doc1", 0, "b"), Chunks.Record("doc0", 0, "a"), Chunks.Record("doc2", 0, "c"));

        var packed = Packer(new ContextPackerOptions { Order = order }).Pack(chunks);

        Assert.Equal(expected, string.Join(',', packed.Citations.Select(c => c.DocumentId)));
    }

    [Fact]
    public void Merges_overlapping_chunks_of_a_document_into_one_source_covering_both()
    {
        var early = Chunks.Record("m", 0, "Guide\n\n" + Document[..16], start: 0);
        early.HeadingPath = "Guide";
        early.EndOffset = 16;
        var late = Chunks.Record("m", 1, Document[11..], start: 11);
        var other = Chunks.Record("n", 0, "unrelated");

        var packed = Packer(new ContextPackerOptions { Order = ContextOrder.Relevance }).Pack(Chunks.Ranked(late, other, early));

        Assert.Equal("[1] Guide\n\nalpha beta gamma delta epsilon\n\n[2] unrelated", packed.Text);
        var merged = packed.Citations[0];
        Assert.Equal((0, 30, "Guide", 1.0), (merged.StartOffset, merged.EndOffset, merged.HeadingPath, merged.Score));
        Assert.Equal(Chunks.KeysOf("m#1", "m#0"), merged.ChunkKeys);
        Assert.Empty(packed.Dropped);
    }

    [Fact]
    public void Drops_repeated_contained_and_with_drop_overlapping_chunks_as_duplicates()
    {
        var whole = Chunks.Record("m", 0, Document, start: 0);
        var inside = Chunks.Record("m", 1, Document[6..16], start: 6);
        var overlapping = Chunks.Record("n", 0, "one two three", start: 0);
        var overlapped = Chunks.Record("n", 1, "three four", start: 8);
        var chunks = Chunks.Ranked(whole, inside, overlapping, overlapped, whole);

        var packed = Packer(new ContextPackerOptions { Overlap = ContextOverlapHandling.Drop }).Pack(chunks);

        Assert.Equal(Chunks.KeysOf("m#0", "n#0"), packed.Citations.SelectMany(c => c.ChunkKeys));
        Assert.Equal(["m#1", "n#1", "m#0"], packed.Dropped.Select(d => Chunks.Label(d.Chunk.Chunk)));
        Assert.All(packed.Dropped, d => Assert.Equal(ContextDropReason.Duplicate, d.Reason));
    }

    [Fact]
    public void Keeps_the_most_relevant_chunks_that_fit_the_budget_and_reports_the_rest()
    {
        // Each source costs its words plus one for its marker.
        var chunks = Chunks.Ranked(
            Chunks.Record("a", 0, "one two three"),
            Chunks.Record("b", 0, "one two three four five"),
            Chunks.Record("c", 0, "x"));

        var packed = Packer(new ContextPackerOptions { MaxTokens = 7 }).Pack(chunks);

        Assert.Equal("[1] one two three\n\n[2] x", packed.Text);
        Assert.Equal(6, packed.TokenCount);
        var dropped = Assert.Single(packed.Dropped);
        Assert.Equal(("b#0", ContextDropReason.OverBudget), (Chunks.Label(dropped.Chunk.Chunk), dropped.Reason));
    }

    [Fact]
    public void Drops_a_merge_that_would_exceed_the_budget()
    {
        var first = Chunks.Record("m", 0, Document[..16], start: 0);
        var second = Chunks.Record("m", 1, Document[11..], start: 11);

        var packed = Packer(new ContextPackerOptions { MaxTokens = 4 }).Pack(Chunks.Ranked(first, second));

        Assert.Equal("[1] alpha beta gamma", packed.Text);
        Assert.Equal(ContextDropReason.OverBudget, Assert.Single(packed.Dropped).Reason);
    }

    [Fact]
    public void Packs_nothing_into_an_empty_context_and_validates_its_options()
    {
        var packed = Packer().Pack([]);

        Assert.Equal((string.Empty, 0), (packed.Text, packed.TokenCount));
        Assert.Empty(packed.Citations);
        Assert.Throws<ArgumentException>("options", () => Packer(new ContextPackerOptions { MaxTokens = 0 }));
        Assert.Throws<ArgumentException>("options", () => Packer(new ContextPackerOptions { Order = (ContextOrder)9 }));
        Assert.Throws<ArgumentNullException>("tokenCounter", () => new ContextPacker(null!));
    }

    [Fact]
    public void Gives_a_sentence_chunk_as_its_window_and_merges_overlapping_windows()
    {
        const string text = "One apple. Two bees. Three cats. Four dogs. Five eels.";
        var chunks = new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = 1 }).Chunk(new Document("s", text)).ToList();
        var records = chunks.Select(chunk =>
        {
            var record = Chunks.Record("s", chunk.Index, chunk.Text, start: chunk.StartOffset);
            record.SetMetadata(chunk.Metadata);
            return record;
        }).ToArray();

        var single = Packer(new ContextPackerOptions { Order = ContextOrder.Relevance }).Pack(Chunks.Ranked(records[1]));
        var merged = Packer(new ContextPackerOptions { Order = ContextOrder.Relevance }).Pack(Chunks.Ranked(records[1], records[2], records[4]));
        var sentences = Packer(new ContextPackerOptions { ExpandSentenceWindows = false }).Pack(Chunks.Ranked(records[1]));

        Assert.Equal(5, records.Length);
        Assert.Equal("[1] One apple. Two bees. Three cats.", single.Text);
        Assert.Equal((0, 32, "One apple. Two bees. Three cats."), (single.Citations[0].StartOffset, single.Citations[0].EndOffset, single.Citations[0].Text));
        Assert.Equal("[1] " + text, merged.Text);
        Assert.Equal(Chunks.KeysOf("s#1", "s#2", "s#4"), merged.Citations[0].ChunkKeys);
        Assert.Equal("[1] Two bees.", sentences.Text);
        Assert.Equal((11, 20), (sentences.Citations[0].StartOffset, sentences.Citations[0].EndOffset));
    }

    [Theory]
    [InlineData("{\"window\":\"elsewhere\",\"window_start\":\"0\",\"window_end\":\"3\"}")]
    [InlineData("{\"window\":\"abc\",\"window_start\":\"x\",\"window_end\":\"3\"}")]
    [InlineData("{\"window\":\"abc\"}")]
    [InlineData("{\"window\": broken")]
    public void Gives_the_chunk_as_it_is_when_its_window_is_missing_inconsistent_or_unreadable(string metadata)
    {
        var record = Chunks.Record("w", 0, "sentence", start: 0);
        record.Metadata = metadata;

        var packed = Packer().Pack(Chunks.Ranked(record));

        Assert.Equal("[1] sentence", packed.Text);
    }
}
