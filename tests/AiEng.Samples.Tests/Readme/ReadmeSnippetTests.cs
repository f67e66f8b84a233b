using System.Text;
using System.Text.RegularExpressions;
using AiEng.Samples.Rag;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AiEng.Samples.Tests.Readme;

/// <summary>
/// The README's C# snippets compile against the AiEng packages as a user would write them: each ```csharp block becomes
/// the body of a method that has the variables the snippets assume (<c>services</c>, <c>configuration</c>,
/// <c>serviceProvider</c>) and the usings of an application, compiled in process with Roslyn against the assemblies this
/// test runs with (all the AiEng packages, through the samples).
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly string[] Usings =
    [
        "System",
        "System.Collections.Generic",
        "System.IO",
        "System.Linq",
        "System.Threading",
        "System.Threading.Tasks",
        "AiEng.Evaluation",
        "AiEng.Prompts",
        "AiEng.Retrieval",
        "Microsoft.Extensions.AI",
        "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection",
    ];

    [Fact]
    public void The_readme_has_csharp_snippets()
    {
        Assert.NotEmpty(ExtractSnippets(File.ReadAllText(ReadmePath())));
    }

    [Fact]
    public void The_csharp_snippets_of_the_readme_compile()
    {
        string path = ReadmePath();
        IReadOnlyList<string> errors = Compile(ExtractSnippets(File.ReadAllText(path)), path);

        Assert.True(errors.Count == 0, "The README's C# snippets do not compile:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void A_snippet_that_does_not_compile_is_reported_with_its_readme_line()
    {
        const string readme = "# Title\n\nText.\n\n```csharp\nservices.AddAiEng(configuration).AddRetrievalz();\n```\n";

        IReadOnlyList<string> errors = Compile(ExtractSnippets(readme), "README.md");

        string error = Assert.Single(errors);
        Assert.Contains("README.md(6,", error, StringComparison.Ordinal);
        Assert.Contains("AddRetrievalz", error, StringComparison.Ordinal);
    }

    /// <summary>Returns each ```csharp block of <paramref name="markdown"/> with the 1-based line of its first code line.</summary>
    internal static IReadOnlyList<(int Line, string Code)> ExtractSnippets(string markdown)
    {
        string text = markdown.ReplaceLineEndings("\n");
        var snippets = new List<(int, string)>();
        foreach (Match match in CSharpBlock().Matches(text))
        {
            int line = text.AsSpan(0, match.Groups["code"].Index).Count('\n') + 1;
            snippets.Add((line, match.Groups["code"].Value));
        }

        return snippets;
    }

    /// <summary>Compiles each snippet as the body of a method, with the README's usings and <paramref name="moreUsings"/>; returns the errors, located in <paramref name="path"/>.</summary>
    internal static IReadOnlyList<string> Compile(IReadOnlyList<(int Line, string Code)> snippets, string path, params string[] moreUsings)
    {
        var source = new StringBuilder();
        foreach (string name in Usings.Concat(moreUsings))
        {
            source.Append("using ").Append(name).Append(";\n");
        }

        for (int i = 0; i < snippets.Count; i++)
        {
            source.Append("internal static class ReadmeSnippet").Append(i).Append('\n')
                .Append("{\n")
                .Append("    public static async Task RunAsync(IServiceCollection services, IConfiguration configuration, IServiceProvider serviceProvider)\n")
                .Append("    {\n")
                .Append("#line ").Append(snippets[i].Line).Append(" \"").Append(path).Append("\"\n")
                .Append(snippets[i].Code)
                .Append("#line default\n")
                .Append("        await Task.CompletedTask;\n")
                .Append("    }\n")
                .Append("}\n");
        }

        SyntaxTree tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "ReadmeSnippets",
            [tree],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var assembly = new MemoryStream();
        return compilation.Emit(assembly).Diagnostics
            .Where(static d => d.Severity == DiagnosticSeverity.Error)
            .Select(static d => d.ToString())
            .ToList();
    }

    // The assemblies the test host runs with: the runtime and every package the samples reference.
    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(static file => MetadataReference.CreateFromFile(file));

    private static string ReadmePath() => Path.Combine(RepositoryRoot(), "README.md");

    /// <summary>Gets the directory of the solution file above the test's output.</summary>
    internal static string RepositoryRoot() =>
        RagPaths.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException($"No {RagPaths.SolutionFileName} above {AppContext.BaseDirectory}.");

    [GeneratedRegex(@"^```csharp[ \t]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
