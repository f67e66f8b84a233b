namespace AiEng.Retrieval;

/// <summary>
/// Finds paragraphs, sentences, lines and words in a range of a text as trimmed, non-empty <see cref="TextRange"/>s, so
/// that chunks can point back into the text by offset.
/// </summary>
internal static class TextBoundaries
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "fig", "no", "approx", "cf", "al", "inc", "ltd", "jr", "sr", "st", "eq", "ref",
    };

    /// <summary>Removes leading and trailing whitespace from a range.</summary>
    public static TextRange Trim(string text, TextRange range)
    {
        int start = range.Start, end = range.End;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return new TextRange(start, end);
    }

    /// <summary>Splits at blank lines (a line break, optional spaces, another line break).</summary>
    public static IEnumerable<TextRange> Paragraphs(string text, TextRange range)
    {
        int start = range.Start;
        for (int i = range.Start; i < range.End; i++)
        {
            if (text[i] != '\n')
            {
                continue;
            }

            int j = i + 1;
            while (j < range.End && text[j] is ' ' or '\t' or '\r')
            {
                j++;
            }

            if (j < range.End && text[j] == '\n')
            {
                TextRange paragraph = Trim(text, new TextRange(start, i));
                if (paragraph.Length > 0)
                {
                    yield return paragraph;
                }

                start = j + 1;
                i = j;
            }
        }

        TextRange last = Trim(text, new TextRange(start, range.End));
        if (last.Length > 0)
        {
            yield return last;
        }
    }

    /// <summary>
    /// Splits after <c>.</c>, <c>!</c> or <c>?</c> (and any closing quotes or brackets) followed by whitespace and a capital,
    /// digit, quote or bracket, except after common abbreviations and initials; also after CJK full stops.
    /// </summary>
    public static IEnumerable<TextRange> Sentences(string text, TextRange range)
    {
        int start = range.Start;
        for (int i = range.Start; i < range.End; i++)
        {
            char c = text[i];
            if (c is '。' or '！' or '？')
            {
                TextRange cjk = Trim(text, new TextRange(start, i + 1));
                if (cjk.Length > 0)
                {
                    yield return cjk;
                }

                start = i + 1;
                continue;
            }

            if (c is not ('.' or '!' or '?'))
            {
                continue;
            }

            int end = i + 1;
            while (end < range.End && text[end] is '"' or '\'' or ')' or ']' or '”' or '’')
            {
                end++;
            }

            if (end >= range.End || !char.IsWhiteSpace(text[end]))
            {
                continue;
            }

            int next = end;
            while (next < range.End && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next >= range.End || !StartsSentence(text[next]) || (c == '.' && IsAbbreviation(text, start, i)))
            {
                continue;
            }

            TextRange sentence = Trim(text, new TextRange(start, end));
            if (sentence.Length > 0)
            {
                yield return sentence;
            }

            start = next;
            i = next - 1;
        }

        TextRange last = Trim(text, new TextRange(start, range.End));
        if (last.Length > 0)
        {
            yield return last;
        }
    }

    /// <summary>Splits at line breaks.</summary>
    public static IEnumerable<TextRange> Lines(string text, TextRange range)
    {
        int start = range.Start;
        for (int i = range.Start; i <= range.End; i++)
        {
            if (i == range.End || text[i] == '\n')
            {
                TextRange line = Trim(text, new TextRange(start, i));
                if (line.Length > 0)
                {
                    yield return line;
                }

                start = i + 1;
            }
        }
    }

    /// <summary>Splits into runs of non-whitespace characters.</summary>
    public static IEnumerable<TextRange> Words(string text, TextRange range)
    {
        int i = range.Start;
        while (i < range.End)
        {
            while (i < range.End && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < range.End && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                yield return new TextRange(start, i);
            }
        }
    }

    private static bool StartsSentence(char c) => char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '[' or '(' or '“' or '‘' or '*' or '-' or '#';

    private static bool IsAbbreviation(string text, int sentenceStart, int dot)
    {
        int wordStart = dot;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        ReadOnlySpan<char> word = text.AsSpan(wordStart, dot - wordStart).TrimStart("(\"'");
        return (word.Length == 1 && char.IsLetter(word[0])) || Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }
}
