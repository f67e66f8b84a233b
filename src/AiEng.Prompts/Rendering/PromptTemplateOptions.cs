using System.ComponentModel.DataAnnotations;
using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>Options that compile a <see cref="PromptTemplate"/>: its partials and its sandbox limits.</summary>
public sealed class PromptTemplateOptions
{
    /// <summary>Gets the partials that <c>{% include 'name' %}</c> and <c>{% render 'name' %}</c> can use, by name (without <c>.liquid</c>). Empty by default.</summary>
    public IDictionary<string, string> Partials { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The default of <see cref="MaxSteps"/>.</summary>
    internal const int DefaultMaxSteps = 100_000;

    /// <summary>
    /// Gets or sets the maximum number of template statements one render may execute, and the most items a range
    /// <c>(a..b)</c> may have. Default 100,000.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1")]
    public int MaxSteps { get; set; } = DefaultMaxSteps;

    /// <summary>Gets or sets the maximum nesting depth of includes and blocks. Default 16.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1")]
    public int MaxRecursion { get; set; } = 16;

    /// <summary>
    /// Adds every <c>*.liquid</c> file under <paramref name="directory"/> (searched recursively) to <see cref="Partials"/>,
    /// named by its path under the directory without the extension (<c>shared/tone.liquid</c> is <c>shared/tone</c>), as
    /// <see cref="PromptRegistry.FromDirectory"/> names them.
    /// </summary>
    /// <param name="directory">The directory.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or white space.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public PromptTemplateOptions AddPartialsFrom(string directory)
    {
        Throw.IfNullOrWhitespace(directory);
        foreach (string path in Directory.EnumerateFiles(directory, "*" + PromptRegistry.PartialExtension, SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(directory, path).Replace('\\', '/');
            Partials[name[..^PromptRegistry.PartialExtension.Length]] = File.ReadAllText(path);
        }

        return this;
    }

    internal PromptTemplateOptions CloneAndValidate()
    {
        Throw.IfLessThan(MaxSteps, 1);
        Throw.IfLessThan(MaxRecursion, 1);
        var clone = new PromptTemplateOptions { MaxSteps = MaxSteps, MaxRecursion = MaxRecursion };
        foreach (KeyValuePair<string, string> partial in Partials)
        {
            clone.Partials[PartialFileProvider.PartialName(partial.Key)] = partial.Value ?? throw new ArgumentException($"Partial '{partial.Key}' has no text.", nameof(Partials));
        }

        return clone;
    }
}
