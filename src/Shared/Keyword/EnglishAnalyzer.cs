using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// Turns English text into index terms the way Lucene's <c>EnglishAnalyzer</c> does (and so Anserini's BM25 baselines):
/// tokenise at word boundaries, drop a possessive <c>'s</c>, lower-case, remove stop words, Porter-stem.
/// </summary>
/// <remarks>
/// <para>
/// Tokenising approximates Unicode word boundaries (UAX #29) as Lucene's <c>StandardTokenizer</c> applies them: a token
/// is a run of letters, digits, combining marks and underscores; a full stop or apostrophe between two letters or two
/// digits, a colon between two letters and a comma or semicolon between two digits stay inside the token
/// (<c>U.S</c>, <c>don't</c>, <c>3.5</c>, <c>1,000</c>); every other character separates tokens. Unlike Lucene, scripts
/// without spaces (Chinese, Japanese, Thai) are not split per character, and tokens are not cut at 255 characters.
/// </para>
/// <para>
/// The stop words are Lucene's <c>EnglishAnalyzer.ENGLISH_STOP_WORDS_SET</c> (33 words, <see cref="StopWords"/>); the
/// stemmer is Porter's 1980 algorithm as in Porter's reference implementation (see <c>PorterStemmer</c>).
/// The analyser has no state and is safe to use from several threads.
/// </para>
/// </remarks>
internal static class EnglishAnalyzer
{
    /// <summary>Gets Lucene's 33 English stop words, removed after lower-casing and before stemming.</summary>
    public static IReadOnlySet<string> StopWords { get; } = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Analyses a text into its index terms, in text order (repeated terms repeat).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The terms.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Analyze(string text)
    {
        Throw.IfNull(text);
        var terms = new List<string>();
        var token = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]) && text[i] != '_')
            {
                i++;
                continue;
            }

            token.Clear();
            bool hasLetterOrDigit = false;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsLetterOrDigit(c) || c == '_' || IsCombiningMark(c))
                {
                    hasLetterOrDigit |= char.IsLetterOrDigit(c);
                    token.Append(char.ToLowerInvariant(c));
                    i++;
                }
                else if (i + 1 < text.Length && i > 0 && JoinsNeighbours(text[i - 1], c, text[i + 1]))
                {
                    token.Append(c);
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (hasLetterOrDigit)
            {
                AddTerm(token, terms);
            }
        }

        return terms;
    }

    private static void AddTerm(StringBuilder token, List<string> terms)
    {
        // EnglishPossessiveFilter: a trailing 's (straight or typographic apostrophe) is dropped.
        if (token.Length >= 2 && token[^1] == 's' && token[^2] is '\'' or '\u2019' or '\uFF07')
        {
            token.Length -= 2;
        }

        if (token.Length == 0)
        {
            return;
        }

        string word = token.ToString();
        if (!StopWords.Contains(word))
        {
            terms.Add(PorterStemmer.Stem(word));
        }
    }

    /// <summary>Whether <paramref name="c"/> stays inside a token between <paramref name="before"/> and <paramref name="after"/> (UAX #29 rules WB6, WB7, WB11, WB12).</summary>
    private static bool JoinsNeighbours(char before, char c, char after)
    {
        bool letters = char.IsLetter(before) && char.IsLetter(after);
        bool digits = char.IsDigit(before) && char.IsDigit(after);
        return c switch
        {
            '.' or '\'' or '\u2019' => letters || digits,
            ':' => letters,
            ',' or ';' => digits,
            _ => false,
        };
    }

    private static bool IsCombiningMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
