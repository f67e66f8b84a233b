using CsCheck;

namespace AiEng.Tests.Properties;

/// <summary>Generators the property tests share: prose with paragraphs, sentences, long words and non-ASCII text.</summary>
internal static class PropertyGens
{
    /// <summary>The number of cases each property tries in a test run (bounded so the suite stays quick in CI).</summary>
    public const long Iterations = 200;

    private static readonly Gen<string> Word = Gen.OneOf(
        "a", "the", "model", "retrieval", "embeddings", "chunk", "overlap", "naïve", "café", "日本語のテキスト", "x",
        "supercalifragilisticexpialidocious", "antidisestablishmentarianism-and-more", "42", "3.14", "e-mail", "👍");

    private static readonly Gen<string> Sentence = Gen.Select(Word.Array[1, 14], Gen.OneOf(".", "!", "?", ""), (words, end) => string.Join(' ', words) + end);

    private static readonly Gen<string> Paragraph = Gen.Select(Sentence.Array[1, 6], Gen.OneOf(" ", "  ", "\n"), (sentences, space) => string.Join(space, sentences));

    /// <summary>Text of 0 to 8 paragraphs separated by blank lines (sometimes several, sometimes with trailing spaces).</summary>
    public static readonly Gen<string> Prose = Gen.Select(Paragraph.Array[0, 8], Gen.OneOf("\n\n", "\n\n\n", " \n\n"), (paragraphs, separator) => string.Join(separator, paragraphs));

    /// <summary>Markdown: headings of levels 1 to 3 over prose sections, sometimes with text before the first heading.</summary>
    public static readonly Gen<string> Markdown = Gen.Select(
        Gen.Select(Gen.Int[1, 3], Word.Array[1, 4], Prose, (level, title, body) => $"{new string('#', level)} {string.Join(' ', title)}\n\n{body}").Array[0, 5],
        Prose,
        (sections, preamble) => preamble + "\n\n" + string.Join("\n\n", sections));
}
