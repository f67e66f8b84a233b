using System.Collections.Frozen;
using System.Text;

namespace AiEng.Retrieval;

/// <summary>
/// The offline way to make a follow-up searchable without a language model (<see cref="ConversationQueryMode.Heuristic"/>):
/// a short message that refers back gets the salient terms of the earlier user message it continues appended.
/// docs/retrieval.md ("Follow-up questions") describes these rules word for word; change both together.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><description>Words are runs of letters and digits (an apostrophe or hyphen between two of them stays inside).</description></item>
/// <item><description>
/// A message <em>refers back</em> when it has at most <see cref="MaxFollowUpWords"/> words and either contains an anaphor
/// (<see cref="Anaphors"/>: <c>it</c>, <c>its</c>, <c>they</c>, <c>that</c>, <c>there</c>, ...), or starts with a
/// continuation (<c>and</c>, <c>also</c>, <c>but</c>, <c>or</c>, <c>so</c>, <c>then</c>, <c>plus</c>, <c>what about</c>,
/// <c>how about</c>), or has no content word at all.
/// </description></item>
/// <item><description>
/// The message it continues is the nearest earlier user message that does not itself refer back; when every earlier one
/// refers back, the message is searched as it is.
/// </description></item>
/// <item><description>
/// Content words are the words that are not function words, question words, pronouns or chat verbs
/// (<see cref="NonContentWords"/>). The salient terms of the continued message are its content words, names first (a word
/// with a digit, or a capital letter anywhere but at the start of the message), then the others, each in text order, as
/// written, without repeats or words the follow-up already has (case-insensitive), at most <see cref="MaxTerms"/>.
/// </description></item>
/// <item><description>The query is the follow-up, a space, and the terms separated by spaces.</description></item>
/// </list>
/// </remarks>
internal static class FollowUpHeuristic
{
    /// <summary>The most words a message may have to count as a follow-up that refers back: 12.</summary>
    public const int MaxFollowUpWords = 12;

    /// <summary>The most terms appended: 8.</summary>
    public const int MaxTerms = 8;

    /// <summary>Words that point back at something said before.</summary>
    public static readonly FrozenSet<string> Anaphors = new[]
    {
        "it", "its", "it's", "itself", "they", "them", "their", "theirs", "themselves", "they're", "this", "that", "these", "those",
        "he", "him", "his", "she", "her", "hers", "one", "ones", "there", "same", "former", "latter", "above",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that carry no topic: function words, question words, pronouns and the verbs of asking.</summary>
    public static readonly FrozenSet<string> NonContentWords = new[]
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "ask", "at", "be", "been", "before",
        "being", "between", "both", "but", "by", "can", "could", "describe", "did", "do", "does", "doing", "done", "each", "else", "explain",
        "for", "from", "get", "give", "had", "has", "have", "hello", "help", "here", "hi", "how", "i", "i'd", "i'm", "if", "in", "into",
        "is", "just", "know", "let", "like", "many", "me", "more", "most", "much", "must", "my", "need", "no", "not", "now", "of", "on",
        "only", "or", "other", "our", "please", "plus", "say", "should", "show", "so", "some", "tell", "than", "thank", "thanks", "the",
        "then", "there", "to", "too", "us", "very", "want", "was", "we", "were", "what", "what's", "when", "where", "which", "who", "whom",
        "whose", "why", "will", "with", "would", "yes", "you", "your",
    }.Concat(Anaphors).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Continuations = new[] { "and", "also", "but", "or", "so", "then", "plus" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Returns the query for <paramref name="followUp"/> given the earlier user messages, newest first: the follow-up with the
    /// terms of the message it continues appended, or the follow-up as it is when it does not refer back or continues nothing.
    /// </summary>
    public static string Rewrite(string followUp, IEnumerable<string> earlierUserMessages)
    {
        var words = Words(followUp);
        if (!RefersBack(words))
        {
            return followUp;
        }

        string? continued = earlierUserMessages.FirstOrDefault(message => Words(message) is { Count: > 0 } earlier && !RefersBack(earlier));
        if (continued is null)
        {
            return followUp;
        }

        var have = new HashSet<string>(words.Select(static word => word.ToLowerInvariant()), StringComparer.Ordinal);
        var content = Words(continued).Select((word, index) => (Word: word, Index: index)).Where(static w => IsContent(w.Word)).ToList();
        var terms = content.Where(static w => IsName(w.Word, w.Index)).Concat(content.Where(static w => !IsName(w.Word, w.Index)))
            .Select(static w => w.Word)
            .Where(word => have.Add(word.ToLowerInvariant()))
            .Take(MaxTerms)
            .ToList();
        return terms.Count == 0 ? followUp : followUp.TrimEnd() + " " + string.Join(' ', terms);
    }

    /// <summary>Whether a message with these words refers back to an earlier one.</summary>
    private static bool RefersBack(List<string> words)
    {
        if (words.Count == 0 || words.Count > MaxFollowUpWords)
        {
            return false;
        }

        var lower = words.Select(static word => word.ToLowerInvariant()).ToList();
        return lower.Any(Anaphors.Contains)
            || Continuations.Contains(lower[0])
            || (lower.Count > 1 && lower[0] is "what" or "how" && lower[1] == "about")
            || !words.Any(IsContent);
    }

    private static bool IsContent(string word) => !NonContentWords.Contains(word.ToLowerInvariant());

    private static bool IsName(string word, int index) =>
        word.Any(char.IsDigit) || word.Skip(1).Any(char.IsUpper) || (index > 0 && char.IsUpper(word[0]));

    /// <summary>The words of <paramref name="text"/>: runs of letters and digits, with an apostrophe or hyphen kept between two of them.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (c is '\'' or '’' or '-' && word.Length > 0 && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
            {
                word.Append(c == '’' ? '\'' : c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
