using System.Text.RegularExpressions;

namespace AiEng.Prompts;

/// <summary>Finds the JSON in a model reply: the first fenced code block if any, else the outermost object or array.</summary>
internal static partial class JsonExtraction
{
    public static string Extract(string text)
    {
        Match fence = FenceRegex().Match(text);
        if (fence.Success)
        {
            return fence.Groups["body"].Value.Trim();
        }

        int start = text.IndexOfAny(['{', '[']);
        if (start < 0)
        {
            return text.Trim();
        }

        char close = text[start] == '{' ? '}' : ']';
        int end = text.LastIndexOf(close);
        return end > start ? text[start..(end + 1)] : text[start..].Trim();
    }

    [GeneratedRegex(@"```[A-Za-z0-9_-]*[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FenceRegex();
}
