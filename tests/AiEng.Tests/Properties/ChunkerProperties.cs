using AiEng.Retrieval;
using AiEng.Tokens;
using CsCheck;

namespace AiEng.Tests.Properties;

/// <summary>
/// Properties of the chunkers on generated prose and Markdown: every chunk reproduces its range of the document, the
/// chunks cover every non-space character in order, sizes stay within the limit except for a single oversized word, and
/// consecutive chunks share at most the configured overlap.
/// </summary>
public sealed class ChunkerProperties
{
    private static readonly ITokenCounter Tokens = TiktokenTokenCounter.O200kBase;

    private static readonly Gen<(int Size, int Overlap)> Sizes = Gen.Int[1, 48].SelectMany(size => Gen.Int[0, size - 1].Select(overlap => (size, overlap)));

    [Fact]
    public void Recursive_chunks_reproduce_their_ranges_cover_the_text_and_respect_size_and_overlap()
    {
        Gen.Select(PropertyGens.Prose, Sizes).Sample(
            (text, sizes) =>
            {
                var document = new Document("doc", text);
                DocumentChunk[] chunks = [.. new RecursiveTextChunker(Tokens, new ChunkerOptions { ChunkSize = sizes.Size, ChunkOverlap = sizes.Overlap }).Chunk(document)];

                AssertRangesReproduceAndCover(text, chunks);
                foreach (DocumentChunk chunk in chunks)
                {
                    string body = chunk.Text[chunk.PrefixLength..];
                    Assert.True(
                        Tokens.CountTokens(body) <= sizes.Size || !body.Trim().Contains(' ', StringComparison.Ordinal),
                        $"Chunk {chunk.Index} has {Tokens.CountTokens(body)} tokens (limit {sizes.Size}) and more than one word: '{body}'");
                }

                for (int i = 1; i < chunks.Length; i++)
                {
                    int shared = chunks[i - 1].EndOffset - chunks[i].StartOffset;
                    if (shared > 0)
                    {
                        int sharedTokens = Tokens.CountTokens(text[chunks[i].StartOffset..chunks[i - 1].EndOffset]);
                        Assert.True(sharedTokens <= sizes.Overlap, $"Chunks {i - 1} and {i} share {sharedTokens} tokens (overlap {sizes.Overlap}).");
                    }
                }
            },
            iter: PropertyGens.Iterations);
    }

    [Fact]
    public void Markdown_section_chunks_reproduce_their_ranges_and_cover_the_text()
    {
        Gen.Select(PropertyGens.Markdown, Sizes).Sample(
            (text, sizes) =>
            {
                var document = new Document("doc", text);
                DocumentChunk[] chunks = [.. new MarkdownSectionChunker(Tokens, new ChunkerOptions { ChunkSize = sizes.Size, ChunkOverlap = sizes.Overlap }).Chunk(document)];

                AssertRangesReproduceAndCover(text, chunks);
            },
            iter: PropertyGens.Iterations);
    }

    [Fact]
    public void Sentence_window_chunks_reproduce_their_ranges_and_cover_the_text()
    {
        Gen.Select(PropertyGens.Prose, Gen.Int[0, 4]).Sample(
            (text, window) =>
            {
                var document = new Document("doc", text);
                DocumentChunk[] chunks = [.. new SentenceWindowChunker(new SentenceWindowChunkerOptions { WindowSize = window }).Chunk(document)];

                AssertRangesReproduceAndCover(text, chunks);
                for (int i = 1; i < chunks.Length; i++)
                {
                    Assert.True(chunks[i - 1].EndOffset <= chunks[i].StartOffset, $"Sentences {i - 1} and {i} overlap.");
                }
            },
            iter: PropertyGens.Iterations);
    }

    /// <summary>Each chunk's text (after its prefix) is its range of the document; indices count from 0; ranges move forward; every non-space character is in some chunk.</summary>
    private static void AssertRangesReproduceAndCover(string text, DocumentChunk[] chunks)
    {
        var covered = new bool[text.Length];
        for (int i = 0; i < chunks.Length; i++)
        {
            DocumentChunk chunk = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.InRange(chunk.StartOffset, 0, chunk.EndOffset);
            Assert.InRange(chunk.EndOffset, chunk.StartOffset, text.Length);
            Assert.Equal(text[chunk.StartOffset..chunk.EndOffset], chunk.Text[chunk.PrefixLength..]);
            Assert.False(string.IsNullOrWhiteSpace(chunk.Text[chunk.PrefixLength..]), $"Chunk {i} is empty or white space.");
            if (i > 0)
            {
                Assert.True(chunks[i - 1].StartOffset < chunk.StartOffset, $"Chunk {i} [{chunk.StartOffset}, {chunk.EndOffset}) '{chunk.Text}' starts where chunk {i - 1} [{chunks[i - 1].StartOffset}, {chunks[i - 1].EndOffset}) '{chunks[i - 1].Text}' does.");
                Assert.True(chunks[i - 1].EndOffset <= chunk.EndOffset, $"Chunk {i} ends at {chunk.EndOffset}, before chunk {i - 1} ({chunks[i - 1].EndOffset}).");
            }

            Array.Fill(covered, true, chunk.StartOffset, chunk.EndOffset - chunk.StartOffset);
        }

        for (int c = 0; c < text.Length; c++)
        {
            Assert.True(covered[c] || char.IsWhiteSpace(text[c]), $"Character {c} ('{text[c]}') is in no chunk.");
        }
    }
}
