using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>
/// An immutable set of compiled prompts, addressed as <c>name</c> (the highest version) or <c>name@version</c>, loaded
/// from a directory, from embedded resources or from code.
/// </summary>
/// <remarks>
/// Versions compare part by part on <c>.</c>: numeric parts numerically, others ordinally (so <c>1.10</c> is above
/// <c>1.9</c>). Instances are thread-safe.
/// </remarks>
public sealed class PromptRegistry : IPromptRegistry
{
    /// <summary>The file extension of prompt files: <c>.prompty</c>.</summary>
    public const string PromptExtension = ".prompty";

    /// <summary>The file extension of partials that prompts can include: <c>.liquid</c>.</summary>
    public const string PartialExtension = ".liquid";

    private readonly Dictionary<string, List<PromptTemplate>> _byName;

    /// <summary>Initializes a new instance of the <see cref="PromptRegistry"/> class from compiled prompts.</summary>
    /// <param name="templates">The prompts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="templates"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">Two prompts have the same name and version.</exception>
    public PromptRegistry(IEnumerable<PromptTemplate> templates)
    {
        Throw.IfNull(templates);
        _byName = new Dictionary<string, List<PromptTemplate>>(StringComparer.Ordinal);
        foreach (PromptTemplate template in templates)
        {
            Throw.IfNull(template, nameof(templates));
            if (!_byName.TryGetValue(template.Id.Name, out List<PromptTemplate>? versions))
            {
                _byName[template.Id.Name] = versions = [];
            }

            PromptTemplate? clash = versions.Find(v => v.Id.Version == template.Id.Version);
            if (clash is not null)
            {
                throw new PromptException(
                    $"Prompt '{template.Id}' is defined twice: in '{clash.File.Source ?? "code"}' and in '{template.File.Source ?? "code"}'. Give one a different name or version.",
                    template.File.Source, 0, 0);
            }

            versions.Add(template);
        }

        foreach (List<PromptTemplate> versions in _byName.Values)
        {
            versions.Sort((a, b) => CompareVersions(a.Id.Version, b.Id.Version));
        }

        Prompts = [.. _byName.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.Select(t => t.Id))];
    }

    /// <inheritdoc />
    public IReadOnlyList<PromptId> Prompts { get; }

    /// <summary>Loads every <c>*.prompty</c> file under a directory (recursively); <c>*.liquid</c> files become partials every prompt can include.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="options">Sandbox limits and extra partials; partials found in the directory are added to a copy.</param>
    /// <returns>The registry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="PromptException">A prompt file is malformed (the message names the file, line and column) or two prompts clash.</exception>
    /// <remarks>A partial is named by its path relative to <paramref name="directory"/>, with <c>/</c> separators and without <c>.liquid</c>.</remarks>
    public static PromptRegistry FromDirectory(string directory, PromptTemplateOptions? options = null)
    {
        Throw.IfNullOrWhitespace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Prompt directory '{directory}' does not exist.");
        }

        PromptTemplateOptions compile = CopyOptionsWithPartials(directory, options);
        var templates = PromptFiles(directory).Select(path => new PromptTemplate(PromptFile.Load(path), compile));
        return new PromptRegistry(templates);
    }

    /// <summary>
    /// Checks every <c>*.prompty</c> file under a directory (recursively) and returns every problem found, rather than
    /// stopping at the first as <see cref="FromDirectory"/> does: each file is parsed and compiled (with the directory's
    /// <c>*.liquid</c> partials), a file that declares a <c>sample</c> is rendered with it in strict mode (which finds
    /// unknown variables, missing required inputs and values of the wrong type), and prompts of the same name and version
    /// are reported.
    /// </summary>
    /// <param name="directory">The directory.</param>
    /// <param name="options">Sandbox limits and extra partials; partials found in the directory are added to a copy.</param>
    /// <returns>The problems found, each a <see cref="PromptException"/> naming the file, line and column; empty when every prompt is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IReadOnlyList<PromptException> CheckDirectory(string directory, PromptTemplateOptions? options = null)
    {
        Throw.IfNullOrWhitespace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Prompt directory '{directory}' does not exist.");
        }

        PromptTemplateOptions compile = CopyOptionsWithPartials(directory, options);
        var problems = new List<PromptException>();
        var compiled = new List<PromptTemplate>();
        foreach (string path in PromptFiles(directory))
        {
            try
            {
                var template = new PromptTemplate(PromptFile.Load(path), compile);
                if (template.File.Sample.Count > 0)
                {
                    _ = template.Render(template.File.Sample, new PromptRenderOptions { StrictVariables = true });
                }

                compiled.Add(template);
            }
            catch (PromptException ex)
            {
                problems.Add(ex.File is null ? new PromptException(ex.Message, path, ex.Line, ex.Column, ex) { InputName = ex.InputName } : ex);
            }
        }

        var seen = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        foreach (PromptTemplate template in compiled)
        {
            if (!seen.TryAdd(template.Id.Name + "@" + template.Id.Version, template))
            {
                problems.Add(new PromptException(
                    $"Prompt '{template.Id.Name}@{template.Id.Version}' is defined twice: in '{seen[template.Id.Name + "@" + template.Id.Version].File.Source}' and in '{template.File.Source}'. Give one a different name or version.",
                    template.File.Source, 0, 0));
            }
        }

        return problems;
    }

    /// <summary>Loads the prompts embedded in an assembly: resources ending in <c>.prompty</c>, with those ending in <c>.liquid</c> as partials.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <param name="prefix">Only resources whose names start with this prefix (for example <c>MyApp.Prompts.</c>); <see langword="null"/> for all.</param>
    /// <param name="options">Sandbox limits and extra partials.</param>
    /// <returns>The registry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assembly"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptException">A prompt is malformed (the message names the resource, line and column) or two prompts clash.</exception>
    /// <remarks>
    /// A partial is named by its resource name without <paramref name="prefix"/> and without <c>.liquid</c>, so with prefix
    /// <c>MyApp.Prompts.</c> the resource <c>MyApp.Prompts.shared.rules.liquid</c> is included as <c>shared.rules</c>.
    /// </remarks>
    public static PromptRegistry FromEmbeddedResources(Assembly assembly, string? prefix = null, PromptTemplateOptions? options = null)
    {
        Throw.IfNull(assembly);
        prefix ??= string.Empty;
        string[] names = [.. assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        PromptTemplateOptions compile = CopyOptions(options);
        foreach (string name in names.Where(n => n.EndsWith(PartialExtension, StringComparison.OrdinalIgnoreCase)))
        {
            compile.Partials[name[prefix.Length..^PartialExtension.Length]] = ReadResource(assembly, name);
        }

        var templates = names.Where(n => n.EndsWith(PromptExtension, StringComparison.OrdinalIgnoreCase))
            .Select(name => new PromptTemplate(PromptFile.Parse(ReadResource(assembly, name), name), compile))
            .ToList();
        return new PromptRegistry(templates);
    }

    /// <inheritdoc />
    public bool TryGet(string reference, [NotNullWhen(true)] out IPromptTemplate? template)
    {
        Throw.IfNull(reference);
        template = null;
        int at = reference.LastIndexOf('@');
        string name = at < 0 ? reference : reference[..at];
        if (!_byName.TryGetValue(name.Trim(), out List<PromptTemplate>? versions))
        {
            return false;
        }

        if (at < 0)
        {
            template = versions[^1];
            return true;
        }

        string version = reference[(at + 1)..].Trim();
        template = versions.Find(v => v.Id.Version == version);
        return template is not null;
    }

    /// <summary>Compares two version strings part by part on <c>.</c>, numeric parts numerically.</summary>
    /// <param name="x">The first version.</param>
    /// <param name="y">The second version.</param>
    /// <returns>A negative number, zero or a positive number as <paramref name="x"/> is below, equal to or above <paramref name="y"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="y"/> is <see langword="null"/>.</exception>
    public static int CompareVersions(string x, string y)
    {
        Throw.IfNull(x);
        Throw.IfNull(y);
        string[] a = x.Split('.');
        string[] b = y.Split('.');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string pa = i < a.Length ? a[i] : "0";
            string pb = i < b.Length ? b[i] : "0";
            int result = long.TryParse(pa, out long na) && long.TryParse(pb, out long nb) ? na.CompareTo(nb) : string.CompareOrdinal(pa, pb);
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    private static IEnumerable<string> PromptFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*" + PromptExtension, SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static PromptTemplateOptions CopyOptionsWithPartials(string directory, PromptTemplateOptions? options) =>
        CopyOptions(options).AddPartialsFrom(directory);

    private static PromptTemplateOptions CopyOptions(PromptTemplateOptions? options)
    {
        PromptTemplateOptions copy = (options ?? new PromptTemplateOptions()).CloneAndValidate();
        return copy;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
