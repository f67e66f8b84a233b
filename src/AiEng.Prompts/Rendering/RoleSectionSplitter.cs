using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>
/// Splits a prompt body into role sections on the raw template text, before any rendering. A role marker is a line that
/// holds only <c>system:</c>, <c>user:</c> or <c>assistant:</c> (or <c>examples:</c>, optionally followed by an input name);
/// markers are recognised only here, in the template source, so rendered input values can never start a message.
/// A marker may declare a budget priority between the role and the colon: <c>system (priority: 1):</c>,
/// <c>examples (priority: 2): shots</c>. A parenthesis that does not start with <c>priority</c> leaves the line plain text,
/// as before priorities existed.
/// </summary>
internal static partial class RoleSectionSplitter
{
    public static List<RoleSection> Split(string body, int bodyLine, string? source)
    {
        var sections = new List<RoleSection>();
        string[] lines = body.Split('\n');
        string kind = "system";
        string? examplesInput = null;
        int? priority = null;
        int start = 0;
        bool explicitMarker = false;
        for (int i = 0; i <= lines.Length; i++)
        {
            Match match = i < lines.Length ? MarkerRegex().Match(lines[i]) : Match.Empty;
            if (i < lines.Length && !match.Success)
            {
                continue;
            }

            string text = string.Join('\n', lines, start, i - start);
            if (explicitMarker || !string.IsNullOrWhiteSpace(text))
            {
                sections.Add(Create(kind, text, bodyLine + start, examplesInput, priority, source));
            }

            if (i == lines.Length)
            {
                break;
            }

            kind = match.Groups["role"].Value.ToLowerInvariant();
            examplesInput = match.Groups["input"].Success ? match.Groups["input"].Value : null;
            if (kind != "examples" && examplesInput is not null)
            {
                throw new PromptException($"A '{kind}:' marker must be alone on its line.", source, bodyLine + i, 1);
            }

            priority = match.Groups["priority"].Success ? ParsePriority(match.Groups["priority"], kind, source, bodyLine + i) : null;

            start = i + 1;
            explicitMarker = true;
        }

        return sections;
    }

    private static int ParsePriority(Group attribute, string kind, string? source, int line)
    {
        // The text after "priority" up to the closing parenthesis: ": <integer>".
        Match value = PriorityValueRegex().Match(attribute.Value);
        if (value.Success && int.TryParse(value.Groups["value"].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int priority))
        {
            return priority;
        }

        string text = attribute.Value;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        int at = colon < 0 ? 0 : colon + 1;
        while (at < text.Length && (text[at] == ' ' || text[at] == '\t'))
        {
            at++;
        }

        throw new PromptException(
            $"The '{kind}' marker declares a malformed priority '(priority{text.TrimEnd()})': write '{kind} (priority: N):' with an integer N (lower is dropped first under a token budget).",
            source, line, attribute.Index + at + 1);
    }

    private static RoleSection Create(string kind, string text, int line, string? examplesInput, int? priority, string? source)
    {
        if (kind == "examples")
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                throw new PromptException("An 'examples:' section expands to user/assistant messages and must hold no text; put inline examples in a 'system:' or 'user:' section.", source, line, 1);
            }

            return new RoleSection(kind, ChatRole.User, text, line, examplesInput ?? "examples", priority);
        }

        ChatRole role = kind switch
        {
            "system" => ChatRole.System,
            "user" => ChatRole.User,
            _ => ChatRole.Assistant,
        };
        return new RoleSection(kind, role, text.TrimEnd('\r'), line, null, priority);
    }

    [GeneratedRegex(@"^[ \t]*(?<role>system|user|assistant|examples)[ \t]*(?:\([ \t]*priority\b(?<priority>[^)\r\n]*)\)[ \t]*)?:[ \t]*(?<input>[A-Za-z_][A-Za-z0-9_]*)?[ \t]*\r?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"^[ \t]*:[ \t]*(?<value>[+-]?[0-9]+)[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PriorityValueRegex();
}
