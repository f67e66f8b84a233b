using System.Text.RegularExpressions;

namespace AiEng.Prompts;

/// <summary>Checks, when a prompt is compiled, that every included partial exists and that includes form no cycle.</summary>
internal static partial class IncludeGraph
{
    public static void Check(IEnumerable<RoleSection> sections, IReadOnlyDictionary<string, string> partials, string? source)
    {
        foreach (RoleSection section in sections)
        {
            foreach ((string name, int line, int column) in Includes(section.Text))
            {
                Visit(name, [], partials, source, section.Line + line - 1, column);
            }
        }
    }

    private static void Visit(string name, List<string> path, IReadOnlyDictionary<string, string> partials, string? source, int line, int column)
    {
        if (path.Contains(name, StringComparer.Ordinal))
        {
            string cycle = string.Join(" -> ", path.SkipWhile(p => p != name).Append(name));
            throw new PromptException($"Includes form a cycle: {cycle}.", source, line, column);
        }

        if (!partials.TryGetValue(name, out string? text))
        {
            string known = partials.Count == 0 ? "none" : string.Join(", ", partials.Keys.Order(StringComparer.Ordinal));
            string where = path.Count == 0 ? string.Empty : $" (included from partial '{path[^1]}')";
            throw new PromptException($"Partial '{name}' is not defined{where}. Known partials: {known}.", source, line, column);
        }

        path.Add(name);
        foreach ((string child, _, _) in Includes(text))
        {
            Visit(child, path, partials, source, line, column);
        }

        path.RemoveAt(path.Count - 1);
    }

    private static IEnumerable<(string Name, int Line, int Column)> Includes(string text)
    {
        foreach (Match match in IncludeRegex().Matches(text))
        {
            int line = 1 + text.AsSpan(0, match.Index).Count('\n');
            int column = match.Index - (text.LastIndexOf('\n', Math.Max(0, match.Index - 1)) + 1) + 1;
            yield return (PartialFileProvider.PartialName(match.Groups["name"].Value), line, column);
        }
    }

    [GeneratedRegex(@"\{%-?\s*(?:include|render)\s+(['""])(?<name>[^'""]+)\1", RegexOptions.CultureInvariant)]
    private static partial Regex IncludeRegex();
}
