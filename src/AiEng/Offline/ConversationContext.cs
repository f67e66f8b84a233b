using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AiEng.Offline;

/// <summary>
/// Reads a conversation the way the extractive responder needs it: the question (the last user message) and the context
/// sentences (system, user and tool messages other than the question, the responder's own earlier answers excluded, plus a
/// context block inside the question's message).
/// </summary>
internal sealed partial class ConversationContext
{
    private ConversationContext(string question, IReadOnlyList<ContextSentence> sentences)
    {
        Question = question;
        Sentences = sentences;
    }

    /// <summary>Gets the question, or an empty string when the conversation has no user message.</summary>
    public string Question { get; }

    /// <summary>Gets the context sentences in conversation order.</summary>
    public IReadOnlyList<ContextSentence> Sentences { get; }

    /// <summary>Reads <paramref name="messages"/>.</summary>
    public static ConversationContext Read(IReadOnlyList<ChatMessage> messages)
    {
        var questionIndex = -1;
        for (var i = messages.Count - 1; i >= 0 && questionIndex < 0; i--)
        {
            questionIndex = messages[i].Role == ChatRole.User ? i : -1;
        }

        var question = string.Empty;
        var texts = new List<(string Text, int Message, ChatRole Role)>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (i == questionIndex)
            {
                (question, var context) = SplitQuestion(message.Text);
                texts.Add((context, i + 1, message.Role));
            }
            else if (message.Role != ChatRole.Assistant)
            {
                texts.Add((TextOf(message), i + 1, message.Role));
            }
        }

        var parts = texts.SelectMany(text => SplitSources(text.Text).Select(part => (part.Text, part.Source, text.Message, text.Role))).ToList();
        var numbered = parts.Any(part => part.Source is not null);
        var sentences = new List<ContextSentence>();
        foreach (var (text, source, message, role) in parts)
        {
            foreach (var sentence in SentenceSplitter.Split(text))
            {
                sentences.Add(source is { } number
                    ? new ContextSentence(sentence, $"[{number}]", null, sentences.Count)
                    : new ContextSentence(sentence, numbered ? $"[message {message}]" : $"[{message}]", $"message {message} ({role.Value})", sentences.Count));
            }
        }

        return new ConversationContext(question.Trim(), sentences);
    }

    /// <summary>Gets the text of a message, including the results of tool calls (<see cref="FunctionResultContent"/>) it carries.</summary>
    public static string TextOf(ChatMessage message)
    {
        var results = message.Contents.OfType<FunctionResultContent>().Select(result => result.Result?.ToString()).Where(text => !string.IsNullOrWhiteSpace(text));
        return string.Join("\n", results.Prepend(message.Text).Where(text => text!.Length > 0));
    }

    /// <summary>
    /// Splits the question's message at header lines such as <c>Context:</c>, <c>Sources:</c>, <c>Documents:</c> or
    /// <c>Question:</c>. Without a <c>Question:</c> header the text before the first context header is the question; when that
    /// is empty too, the last paragraph of the context is taken as the question.
    /// </summary>
    private static (string Question, string Context) SplitQuestion(string text)
    {
        var lines = text.Split('\n');
        if (!lines.Any(line => HeaderPattern().IsMatch(line)))
        {
            return (text, string.Empty);
        }

        var before = new List<string>();
        var question = new List<string>();
        var context = new List<string>();
        var current = before;
        var hasQuestionHeader = false;
        foreach (var line in lines)
        {
            var header = HeaderPattern().Match(line);
            if (header.Success)
            {
                var isQuestion = header.Groups["name"].Value.Equals("question", StringComparison.OrdinalIgnoreCase);
                hasQuestionHeader |= isQuestion;
                current = isQuestion ? question : context;
                if (header.Groups["rest"].Value.Trim() is { Length: > 0 } rest)
                {
                    current.Add(rest);
                }

                continue;
            }

            current.Add(line);
        }

        if (hasQuestionHeader)
        {
            return (string.Join('\n', question), string.Join('\n', before.Concat(context)));
        }

        var questionText = string.Join('\n', before).Trim();
        var contextText = string.Join('\n', context).Trim();
        if (questionText.Length == 0)
        {
            var lastBreak = contextText.LastIndexOf("\n\n", StringComparison.Ordinal);
            questionText = lastBreak < 0 ? string.Empty : contextText[(lastBreak + 2)..];
            contextText = lastBreak < 0 ? contextText : contextText[..lastBreak];
        }

        return (questionText, contextText);
    }

    /// <summary>Splits text at lines that start with a source marker such as <c>[3]</c>; text before the first marker has no number.</summary>
    private static List<(string Text, int? Source)> SplitSources(string text)
    {
        var parts = new List<(string Text, int? Source)>();
        var current = new List<string>();
        int? source = null;
        foreach (var line in text.Split('\n'))
        {
            var header = HeaderPattern().Match(line);
            var content = header.Success ? header.Groups["rest"].Value : line;
            var marker = SourcePattern().Match(content);
            if (marker.Success)
            {
                parts.Add((string.Join('\n', current), source));
                current.Clear();
                source = int.Parse(marker.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
                current.Add(marker.Groups["rest"].Value);
                continue;
            }

            current.Add(content);
        }

        parts.Add((string.Join('\n', current), source));
        return parts.Where(part => !string.IsNullOrWhiteSpace(part.Text)).ToList();
    }

    [GeneratedRegex(@"^\s*(?:#{1,6}\s*)?\**\s*(?<name>context|sources|documents|passages|question)\s*\**\s*:\s*\**(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^\s*\[(?<number>\d{1,4})\]\s*(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();
}
