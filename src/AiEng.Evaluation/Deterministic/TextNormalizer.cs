using System.Text;

namespace AiEng.Evaluation;

/// <summary>Applies <see cref="TextNormalizationOptions"/> and splits text into word tokens for the overlap metrics.</summary>
internal static class TextNormalizer
{
    private static readonly HashSet<string> Articles = new(StringComparer.OrdinalIgnoreCase) { "a", "an", "the" };

    public static string Normalize(string text, TextNormalizationOptions options)
    {
        if (options.UnicodeNormalize)
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        if (options.IgnoreCase)
        {
            text = text.ToLowerInvariant();
        }

        if (options.RemovePunctuation)
        {
            text = string.Concat(text.Where(static c => !char.IsPunctuation(c) && !char.IsSymbol(c)));
        }

        if (options.RemoveArticles || options.CollapseWhitespace)
        {
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            text = string.Join(' ', options.RemoveArticles ? words.Where(static w => !Articles.Contains(w)) : words);
        }

        return text;
    }

    /// <summary>
    /// Word tokens as SQuAD's evaluation computes them: lower case, punctuation removed, articles removed, split on white
    /// space (used by token F1); <paramref name="removeArticles"/> false keeps articles (ROUGE-L, BLEU).
    /// </summary>
    public static string[] Tokens(string text, bool removeArticles)
    {
        var options = new TextNormalizationOptions { RemovePunctuation = true, RemoveArticles = removeArticles };
        string normalized = Normalize(text, options);
        return normalized.Length == 0 ? [] : normalized.Split(' ');
    }
}
