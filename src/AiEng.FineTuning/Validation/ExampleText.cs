using System.Text;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>The text of an example as duplicate checks, leakage checks and the embedding comparison see it.</summary>
internal static class ExampleText
{
    /// <summary>The whole conversation, lower-cased with white space collapsed: equal keys are exact duplicates.</summary>
    public static string ExactKey(FineTuningExample example)
    {
        var text = new StringBuilder();
        foreach (ChatMessage message in example.Messages)
        {
            text.Append(message.Role.Value).Append('\u001f');
            AppendContent(text, message);
            text.Append('\u001e');
        }

        return Normalize(text.ToString());
    }

    /// <summary>The text of every message except system and developer ones (which are usually shared by the whole set).</summary>
    public static string Content(FineTuningExample example) => Content(example.Messages);

    /// <summary>The text of every message except system and developer ones.</summary>
    public static string Content(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System || message.Role.Value == "developer")
            {
                continue;
            }

            AppendContent(text, message);
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The hashed word 3-grams of <paramref name="text"/> (fewer-word grams for texts of fewer than three words); words are runs
    /// of letters and digits, lower-cased, so punctuation and case do not count.
    /// </summary>
    public static HashSet<ulong> Shingles(string text)
    {
        string[] words = Words(text);
        var shingles = new HashSet<ulong>();
        int size = Math.Min(3, words.Length);
        for (int i = 0; i + size <= words.Length && size > 0; i++)
        {
            ulong hash = 14695981039346656037UL;
            for (int w = i; w < i + size; w++)
            {
                foreach (char c in words[w])
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }

                hash = (hash ^ ' ') * 1099511628211UL;
            }

            shingles.Add(hash);
        }

        return shingles;
    }

    /// <summary>The Jaccard similarity of two shingle sets.</summary>
    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        (HashSet<ulong> small, HashSet<ulong> large) = a.Count <= b.Count ? (a, b) : (b, a);
        if ((double)small.Count / large.Count < 0.01)
        {
            return 0;
        }

        int shared = 0;
        foreach (ulong shingle in small)
        {
            if (large.Contains(shingle))
            {
                shared++;
            }
        }

        return (double)shared / (a.Count + b.Count - shared);
    }

    private static string[] Words(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return [.. words];
    }

    private static void AppendContent(StringBuilder text, ChatMessage message)
    {
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    text.Append(t.Text);
                    break;
                case FunctionCallContent call:
                    text.Append(call.Name).Append('(');
                    foreach (KeyValuePair<string, object?> argument in call.Arguments ?? new Dictionary<string, object?>())
                    {
                        text.Append(argument.Key).Append('=').Append(argument.Value).Append(';');
                    }

                    text.Append(')');
                    break;
                case FunctionResultContent result:
                    text.Append(OpenAIChatFormat.ResultText(result.Result));
                    break;
            }
        }
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
