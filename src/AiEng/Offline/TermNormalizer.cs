using System.Text;

namespace AiEng.Offline;

/// <summary>
/// Turns text into comparable terms for the extractive responder: lower case, letters and digits only, a small English
/// stop-word list removed and light suffix stripping (plurals, <c>-ing</c>, <c>-ed</c>, <c>-ly</c>).
/// </summary>
/// <remarks>
/// The stop words include <c>answer</c>, <c>context</c> and <c>question</c>: retrieval prompts use them for instructions
/// ("answer the question from the context"), and matching on them would quote the instructions.
/// Deliberately tiny and dependency-free: it only has to rank a handful of context sentences against one question. Retrieval
/// proper (BM25 over a corpus, embeddings) lives elsewhere.
/// </remarks>
internal static class TermNormalizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "all", "also", "an", "and", "answer", "any", "are", "as", "at", "be", "been", "being", "but", "by", "can", "context", "could",
        "did", "do", "does", "explain", "for", "from", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if",
        "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "please", "question", "she", "should", "so", "some", "such",
        "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was",
        "we", "were", "what", "when", "where", "which", "who", "whom", "whose", "why", "will", "with", "would", "you", "your",
    };

    /// <summary>Gets the terms of <paramref name="text"/> in order (repeats kept).</summary>
    public static List<string> GetTerms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            Flush(word, terms);
        }

        Flush(word, terms);
        return terms;
    }

    /// <summary>Strips common English suffixes so that <c>models</c>, <c>model</c> and <c>modelled</c> compare equal-ish.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        var stem = word;
        if (stem.EndsWith("ies", StringComparison.Ordinal) && stem.Length > 4)
        {
            stem = stem[..^3] + "y";
        }
        else if (stem.EndsWith("sses", StringComparison.Ordinal))
        {
            stem = stem[..^2];
        }
        else if (stem.EndsWith("es", StringComparison.Ordinal) && stem.Length > 4 && (stem[^3] is 's' or 'x' or 'z' || stem.EndsWith("ches", StringComparison.Ordinal) || stem.EndsWith("shes", StringComparison.Ordinal)))
        {
            stem = stem[..^2];
        }
        else if (stem[^1] == 's' && stem[^2] is not ('s' or 'u' or 'i'))
        {
            stem = stem[..^1];
        }

        if (stem.EndsWith("ing", StringComparison.Ordinal) && stem.Length > 5)
        {
            stem = Undouble(stem[..^3]);
        }
        else if (stem.EndsWith("ed", StringComparison.Ordinal) && stem.Length > 4)
        {
            stem = Undouble(stem[..^2]);
        }
        else if (stem.EndsWith("ly", StringComparison.Ordinal) && stem.Length > 5)
        {
            stem = stem[..^2];
        }

        return stem;
    }

    private static string Undouble(string stem) =>
        stem.Length > 2 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') && !"aeiou".Contains(stem[^1], StringComparison.Ordinal)
            ? stem[..^1]
            : stem;

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var text = word.ToString();
        word.Clear();
        if ((text.Length > 1 || char.IsDigit(text[0])) && !StopWords.Contains(text))
        {
            terms.Add(Stem(text));
        }
    }
}
