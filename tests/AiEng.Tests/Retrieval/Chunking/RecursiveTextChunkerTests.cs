using AiEng.Retrieval;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;

namespace AiEng.Tests.Retrieval.Chunking;

public class RecursiveTextChunkerTests
{
    private static readonly WordTokenCounter Words = new();

    [Fact]
    public void Keeps_whole_paragraphs_together_when_they_fit()
    {
        var document = new Document("d", "One two three four five.\n\nSix seven eight nine ten.\n\n  Eleven twelve thirteen fourteen fifteen.\n");

        List<DocumentChunk> chunks = Chunk(document, size: 12, overlap: 0);

        Assert.Equal(["One two three four five.\n\nSix seven eight nine ten.", "Eleven twelve thirteen fourteen fifteen."], chunks.Select(c => c.Text));
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void Splits_a_paragraph_too_large_at_sentence_boundaries()
    {
        var document = new Document("d", "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu. Nu xi omicron pi.");

        List<DocumentChunk> chunks = Chunk(document, size: 9, overlap: 0);

        Assert.Equal(["Alpha beta gamma delta. Epsilon zeta eta theta.", "Iota kappa lambda mu. Nu xi omicron pi."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Splits_at_words_with_the_overlap_repeated_between_chunks()
    {
        string[] words = Enumerable.Range(0, 30).Select(i => $"w{i}").ToArray();
        var document = new Document("d", string.Join(' ', words));

        List<DocumentChunk> chunks = Chunk(document, size: 10, overlap: 3);

        Assert.Equal(
            [string.Join(' ', words[0..10]), string.Join(' ', words[7..17]), string.Join(' ', words[14..24]), string.Join(' ', words[21..30])],
            chunks.Select(c => c.Text));
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void Never_exceeds_the_size_in_tokens_of_the_counter()
    {
        ITokenCounter counter = TiktokenTokenCounter.O200kBase;
        var document = new Document("d", SampleText(40));

        List<DocumentChunk> chunks = new RecursiveTextChunker(counter, new ChunkerOptions { ChunkSize = 48, ChunkOverlap = 12 }).Chunk(document).ToList();

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(counter.CountTokens(c.Text), 1, 48));
        ChunkAssert.OffsetsReproduceText(document, chunks);

        // Consecutive chunks overlap, and every character of the text is in some chunk (no text lost between chunks).
        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.True(pair.Second.StartOffset <= pair.First.EndOffset + 2 && pair.Second.StartOffset > pair.First.StartOffset));
        Assert.Equal(0, chunks[0].StartOffset);
        Assert.Equal(document.Text.TrimEnd().Length, chunks[^1].EndOffset);
    }

    [Fact]
    public void Only_a_single_word_larger_than_the_size_exceeds_it()
    {
        ITokenCounter counter = TiktokenTokenCounter.O200kBase;
        const string longWord = "Pneumonoultramicroscopicsilicovolcanoconiosis-antidisestablishmentarianism";
        var document = new Document("d", $"Short words here. {longWord} and more short words after it.");

        List<DocumentChunk> chunks = new RecursiveTextChunker(counter, new ChunkerOptions { ChunkSize = 5, ChunkOverlap = 0 }).Chunk(document).ToList();

        DocumentChunk oversized = Assert.Single(chunks, c => counter.CountTokens(c.Text) > 5);
        Assert.Equal(longWord, oversized.Text);
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void Gives_each_chunk_the_heading_path_and_page_of_the_section_it_starts_in()
    {
        var document = new Document("d", "aa bb cc dd ee ff")
        {
            Sections = [new DocumentSection(0, 9) { HeadingPath = ["Intro"], Page = 1 }, new DocumentSection(9, 17) { HeadingPath = ["Intro", "More"], Page = 2 }],
        };

        List<DocumentChunk> chunks = Chunk(document, size: 3, overlap: 0);

        Assert.Equal([["Intro"], ["Intro", "More"]], chunks.Select(c => c.HeadingPath.ToArray()));
        Assert.Equal([1, 2], chunks.Select(c => c.Page!.Value));
    }

    [Fact]
    public void A_chunk_shorter_than_the_overlap_is_not_repeated_whole_at_the_start_of_the_next()
    {
        // Found by ChunkerProperties: with an overlap close to the size, a chunk cut short by what follows it (here
        // "42 e-mail.  3.14") fitted the overlap whole, so the next chunk started where it starts and contained it.
        ITokenCounter counter = TiktokenTokenCounter.O200kBase;
        var document = new Document("d", "café 42 model e-mail overlap supercalifragilisticexpialidocious 3.14 naïve.  42 e-mail.  3.14 model 3.14 supercalifragilisticexpialidocious e-mail e-mail café");

        List<DocumentChunk> chunks = new RecursiveTextChunker(counter, new ChunkerOptions { ChunkSize = 13, ChunkOverlap = 11 }).Chunk(document).ToList();

        Assert.True(chunks.Count > 2);
        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.True(pair.First.StartOffset < pair.Second.StartOffset, $"'{pair.Second.Text}' starts where '{pair.First.Text}' does."));
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void The_overlap_counted_as_one_text_stays_within_the_configured_overlap()
    {
        // Found by ChunkerProperties: the carried units' counts summed to 6 (the overlap), but o200k counts their text as
        // one string at 7, across the boundary between two units.
        ITokenCounter counter = TiktokenTokenCounter.O200kBase;
        var document = new Document("d", "👍 x the model antidisestablishmentarianism-and-more 👍 chunk 👍 x 日本語のテキスト supercalifragilisticexpialidocious x 42 supercalifragilisticexpialidocious chunk 42! 3.14. the naïve e-mail retrieval antidisestablishmentarianism-and-more 3.14 antidisestablishmentarianism-and-more 👍 x 日本語のテキスト antidisestablishmentarianism-and-more? e-mail?\n\nsupercalifragilisticexpialidocious x overlap 日本語のテキスト a 👍 3.14 café  embeddings the overlap 👍 café a supercalifragilisticexpialidocious retrieval 👍 model embeddings 日本語のテキスト e-mail embeddings?  the 日本語のテキスト a e-mail  3.14 café embeddings 3.14 3.14 retrieval 3.14 3.14  the chunk x chunk the the 日本語のテキスト x the embeddings retrieval naïve supercalifragilisticexpialidocious 42.  model embeddings café retrieval antidisestablishmentarianism-and-more model 日本語のテキスト supercalifragilisticexpialidocious naïve 日本語のテキスト chunk\n\nnaïve?  embeddings retrieval 42?  supercalifragilisticexpialidocious e-mail e-mail overlap.  naïve café chunk the the 42 café supercalifragilisticexpialidocious 👍 3.14 👍 日本語のテキスト?  the x 42 café supercalifragilisticexpialidocious café 👍.  3.14 embeddings a x model?");

        List<DocumentChunk> chunks = new RecursiveTextChunker(counter, new ChunkerOptions { ChunkSize = 40, ChunkOverlap = 6 }).Chunk(document).ToList();

        Assert.True(chunks.Count > 7);
        Assert.All(chunks.Zip(chunks.Skip(1)), pair =>
        {
            int shared = pair.First.EndOffset - pair.Second.StartOffset;
            Assert.True(shared <= 0 || counter.CountTokens(document.Text[pair.Second.StartOffset..pair.First.EndOffset]) <= 6, $"'{pair.Second.Text}' repeats more than 6 tokens of '{pair.First.Text}'.");
        });
        ChunkAssert.OffsetsReproduceText(document, chunks);
    }

    [Fact]
    public void Makes_no_chunks_for_whitespace()
    {
        Assert.Empty(Chunk(new Document("d", " \n\n \t"), size: 5, overlap: 1));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => new RecursiveTextChunker(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecursiveTextChunker(Words, new ChunkerOptions { ChunkSize = 10, ChunkOverlap = 10 }));
        Assert.Throws<ArgumentNullException>(() => new RecursiveTextChunker(Words).Chunk(null!));
    }

    internal static string SampleText(int sentences)
    {
        var random = new Random(7);
        string[] vocabulary = ["model", "retrieval", "the", "index", "of", "tokens", "answers", "quickly", "with", "context", "documents", "embedding"];
        var paragraphs = new List<string>();
        var sentencesInParagraph = new List<string>();
        for (int i = 0; i < sentences; i++)
        {
            int length = random.Next(4, 16);
            string sentence = string.Join(' ', Enumerable.Range(0, length).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
            sentencesInParagraph.Add(char.ToUpperInvariant(sentence[0]) + sentence[1..] + ".");
            if (random.Next(4) == 0)
            {
                paragraphs.Add(string.Join(' ', sentencesInParagraph));
                sentencesInParagraph.Clear();
            }
        }

        paragraphs.Add(string.Join(' ', sentencesInParagraph));
        return string.Join("\n\n", paragraphs.Where(p => p.Length > 0)) + "\n";
    }

    private static List<DocumentChunk> Chunk(Document document, int size, int overlap) =>
        new RecursiveTextChunker(Words, new ChunkerOptions { ChunkSize = size, ChunkOverlap = overlap }).Chunk(document).ToList();
}
