using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;

namespace AiEng.Prompts;

/// <summary>
/// Checks, when a prompt is compiled, that every partial its sections include or render exists and that includes form no
/// cycle. The includes are read from the parsed templates (Fluid's syntax tree), so every way of writing the tag the
/// parser accepts is seen (<c>{% render'p' %}</c>, <c>{% include 6 %}</c>); an include whose name is computed at render
/// time (<c>{% include name_var %}</c>) cannot be checked here and fails, if at all, when rendered.
/// </summary>
internal static partial class IncludeGraph
{
    public static void Check(IEnumerable<RoleSection> sections, IReadOnlyDictionary<string, IFluidTemplate> partials, string? source)
    {
        // Partials whose includes have all been checked (found, and no cycle through them): each is walked once, however
        // many sections or partials include it.
        var checkedPartials = new HashSet<string>(StringComparer.Ordinal);
        foreach (RoleSection section in sections)
        {
            if (section.Template is null)
            {
                continue;
            }

            foreach (string name in Includes(section.Template))
            {
                (int line, int column) = Locate(section.Text, name);
                Visit(name, [], checkedPartials, partials, source, section.Line + line - 1, column);
            }
        }
    }

    private static void Visit(string name, List<string> path, HashSet<string> checkedPartials, IReadOnlyDictionary<string, IFluidTemplate> partials, string? source, int line, int column)
    {
        if (checkedPartials.Contains(name))
        {
            return;
        }

        if (path.Contains(name, StringComparer.Ordinal))
        {
            string cycle = string.Join(" -> ", path.SkipWhile(p => p != name).Append(name));
            throw new PromptException($"Includes form a cycle: {cycle}.", source, line, column);
        }

        if (!partials.TryGetValue(name, out IFluidTemplate? template))
        {
            string known = partials.Count == 0 ? "none" : string.Join(", ", partials.Keys.Order(StringComparer.Ordinal));
            string where = path.Count == 0 ? string.Empty : $" (included from partial '{path[^1]}')";
            throw new PromptException($"Partial '{name}' is not defined{where}. Known partials: {known}.", source, line, column);
        }

        path.Add(name);
        foreach (string child in Includes(template))
        {
            Visit(child, path, checkedPartials, partials, source, line, column);
        }

        path.RemoveAt(path.Count - 1);
        checkedPartials.Add(name);
    }

    /// <summary>Returns the names of the partials a template includes or renders by a literal name, in order, each once.</summary>
    private static List<string> Includes(IFluidTemplate template)
    {
        var finder = new IncludeFinder();
        finder.VisitTemplate(template);
        return finder.Names;
    }

    /// <summary>
    /// Returns the line and column (1-based, within <paramref name="text"/>) of the first include or render tag that names
    /// <paramref name="name"/>, or of the first such tag at all, or 1, 1: the tree has no positions, the text has.
    /// </summary>
    private static (int Line, int Column) Locate(string text, string name)
    {
        Match? first = null;
        foreach (Match match in IncludeTagRegex().Matches(text))
        {
            first ??= match;
            if (match.Groups["arguments"].Value.Contains(name, StringComparison.Ordinal))
            {
                first = match;
                break;
            }
        }

        if (first is null)
        {
            return (1, 1);
        }

        int line = 1 + text.AsSpan(0, first.Index).Count('\n');
        int column = first.Index - (text.LastIndexOf('\n', Math.Max(0, first.Index - 1)) + 1) + 1;
        return (line, column);
    }

    [GeneratedRegex(@"\{%-?\s*(?:include|render)\b(?<arguments>[^%]*)", RegexOptions.CultureInvariant)]
    private static partial Regex IncludeTagRegex();

    /// <summary>Collects the literal names of include and render tags, through every block of the tree.</summary>
    private sealed class IncludeFinder : AstVisitor
    {
        public List<string> Names { get; } = [];

        protected override Statement VisitIncludeStatement(IncludeStatement includeStatement)
        {
            if (includeStatement.Path is LiteralExpression literal)
            {
                Add(literal.Value.ToStringValue());
            }

            return base.VisitIncludeStatement(includeStatement);
        }

        protected override Statement VisitRenderStatement(RenderStatement renderStatement)
        {
            Add(renderStatement.Path);
            return base.VisitRenderStatement(renderStatement);
        }

        private void Add(string path)
        {
            string name = PartialFileProvider.PartialName(path);
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                Names.Add(name);
            }
        }
    }
}
