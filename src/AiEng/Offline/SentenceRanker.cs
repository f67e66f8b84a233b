namespace AiEng.Offline;

/// <summary>
/// Ranks context sentences against a question by term overlap, each shared term weighted by an IDF computed over the
/// sentences (rare terms count more) and saturated by sentence length as in BM25 with a term frequency of one.
/// </summary>
internal static class SentenceRanker
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>A sentence below this share of the best score is not quoted: it matches only weakly.</summary>
    private const double MinShareOfBest = 0.4;

    /// <summary>Gets at most <paramref name="max"/> relevant sentences, most relevant first; ties go to the earlier sentence.</summary>
    public static IReadOnlyList<ContextSentence> Rank(string question, IReadOnlyList<ContextSentence> sentences, int max)
    {
        var questionTerms = TermNormalizer.GetTerms(question).ToHashSet(StringComparer.Ordinal);
        if (questionTerms.Count == 0 || sentences.Count == 0)
        {
            return [];
        }

        // Identical sentences (a system prompt repeated in every turn) are scored once, at their first position.
        var unique = sentences.DistinctBy(sentence => sentence.Text, StringComparer.Ordinal).ToList();
        var terms = unique.Select(sentence => TermNormalizer.GetTerms(sentence.Text)).ToList();
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in terms.SelectMany(list => list.Distinct(StringComparer.Ordinal)))
        {
            documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        var averageLength = Math.Max(1.0, terms.Average(list => (double)list.Count));
        var scored = new List<(ContextSentence Sentence, double Score)>();
        for (var i = 0; i < unique.Count; i++)
        {
            var norm = K1 * (1 - B + (B * terms[i].Count / averageLength));
            var score = 0.0;
            foreach (var term in terms[i].Distinct(StringComparer.Ordinal).Where(questionTerms.Contains))
            {
                var df = documentFrequency[term];
                score += Math.Log(1 + ((unique.Count - df + 0.5) / (df + 0.5))) * (K1 + 1) / (1 + norm);
            }

            if (score > 0)
            {
                scored.Add((unique[i], score));
            }
        }

        if (scored.Count == 0)
        {
            return [];
        }

        // A heading ("### Chunking", or a chunk's "Retrieval > Ingestion" prefix) matches the question's words with very few
        // terms, so it scores high but says nothing. Quote headings only when nothing else matches.
        if (scored.Any(item => !IsHeading(item.Sentence.Text)))
        {
            scored.RemoveAll(item => IsHeading(item.Sentence.Text));
        }

        var best = scored.Max(item => item.Score);
        return scored
            .Where(item => item.Score >= best * MinShareOfBest)
            .OrderByDescending(item => item.Score)
            .ThenBy(item => item.Sentence.Position)
            .Take(max)
            .Select(item => item.Sentence)
            .ToList();
    }

    /// <summary>
    /// Gets a value indicating whether <paramref name="text"/> is a heading rather than a sentence: a Markdown heading line,
    /// or a short line (at most five words) that does not end like a sentence.
    /// </summary>
    internal static bool IsHeading(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('#'))
        {
            return true;
        }

        var words = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return words <= 5 && trimmed.Length > 0 && trimmed[^1] is not ('.' or '!' or '?' or '"' or '\'' or ')');
    }
}
