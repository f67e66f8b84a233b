using System.Text;

namespace AiEng.Offline;

/// <summary>
/// Splits context text into sentences: at blank lines, at line breaks that end a sentence or start a list item, and after
/// <c>.</c>, <c>!</c> or <c>?</c> followed by a space and a capital, digit, quote or bracket, except after common abbreviations
/// and initials.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "fig", "no", "approx", "cf", "al", "inc", "ltd", "jr", "sr", "st",
    };

    /// <summary>Splits <paramref name="text"/> into trimmed, non-empty sentences in order.</summary>
    public static IEnumerable<string> Split(string text)
    {
        foreach (var block in JoinLines(text))
        {
            foreach (var sentence in SplitBlock(block))
            {
                yield return sentence;
            }
        }
    }

    private static List<string> JoinLines(string text)
    {
        var blocks = new List<string>();
        var current = new StringBuilder();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || StartsItem(line) || (current.Length > 0 && EndsSentence(current)))
            {
                Flush(current, blocks);
            }

            if (line.Length > 0)
            {
                current.Append(current.Length > 0 ? " " : string.Empty).Append(line);
            }
        }

        Flush(current, blocks);
        return blocks;
    }

    private static IEnumerable<string> SplitBlock(string block)
    {
        var start = 0;
        for (var i = 0; i < block.Length - 1; i++)
        {
            if (block[i] is not ('.' or '!' or '?') || !char.IsWhiteSpace(block[i + 1]))
            {
                continue;
            }

            var next = i + 1;
            while (next < block.Length && char.IsWhiteSpace(block[next]))
            {
                next++;
            }

            if (next >= block.Length || !StartsSentence(block[next]) || (block[i] == '.' && IsAbbreviation(block, start, i)))
            {
                continue;
            }

            yield return block[start..(i + 1)].Trim();
            start = next;
            i = next - 1;
        }

        var rest = block[start..].Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private static bool StartsSentence(char c) => char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '[' or '(' or '“' or '‘';

    private static bool IsAbbreviation(string block, int start, int dot)
    {
        var wordStart = dot;
        while (wordStart > start && !char.IsWhiteSpace(block[wordStart - 1]))
        {
            wordStart--;
        }

        var word = block[wordStart..dot].TrimStart('(', '"', '\'');
        return (word.Length == 1 && char.IsLetter(word[0])) || Abbreviations.Contains(word);
    }

    private static bool StartsItem(string line) =>
        line[0] is '-' or '*' or '•' or '#' or '['
        || (line.Length > 1 && char.IsDigit(line[0]) && line.TrimStart("0123456789".ToCharArray()) is ['.' or ')', ..]);

    private static bool EndsSentence(StringBuilder text) => text[^1] is '.' or '!' or '?' or ':' or ';';

    private static void Flush(StringBuilder current, List<string> blocks)
    {
        if (current.Length > 0)
        {
            blocks.Add(current.ToString());
            current.Clear();
        }
    }
}
