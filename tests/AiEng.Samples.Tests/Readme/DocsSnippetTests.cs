using System.Text.RegularExpressions;

namespace AiEng.Samples.Tests.Readme;

/// <summary>
/// The C# snippets of the pages in docs/ that are marked with a <c>&lt;!-- compiled --&gt;</c> line right above their
/// fence compile against the AiEng packages, as the README's do (<see cref="ReadmeSnippetTests"/>); other snippets of
/// those pages are fragments (they assume variables of the surrounding text) and are not compiled.
/// </summary>
public sealed partial class DocsSnippetTests
{
    // The namespaces the pages about resilience, embeddings and the other capabilities use beyond the README's.
    private static readonly string[] MoreUsings = ["AiEng.Inference", "AiEng.Onnx", "AiEng.Tokens", "Polly", "Polly.Fallback", "Polly.Hedging", "Polly.Retry"];

    [Fact]
    public void The_resilience_page_has_a_compiled_snippet()
    {
        Assert.NotEmpty(ExtractMarkedSnippets(File.ReadAllText(Path.Combine(DocsDirectory(), "resilience.md"))));
    }

    [Fact]
    public void The_marked_csharp_snippets_of_the_docs_compile()
    {
        var errors = new List<string>();
        foreach (string path in Directory.EnumerateFiles(DocsDirectory(), "*.md").Order(StringComparer.Ordinal))
        {
            var snippets = ExtractMarkedSnippets(File.ReadAllText(path));
            if (snippets.Count > 0)
            {
                errors.AddRange(ReadmeSnippetTests.Compile(snippets, path, MoreUsings));
            }
        }

        Assert.True(errors.Count == 0, "Marked C# snippets of docs/ do not compile:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void Only_marked_snippets_are_taken_and_an_error_is_reported_with_its_line()
    {
        const string page = "# Title\n\n```csharp\nfragment(notCompiled);\n```\n\n<!-- compiled -->\n```csharp\nservices.AddResiliencePipelinez(\"x\", _ => { });\n```\n";

        var snippets = ExtractMarkedSnippets(page);
        string error = Assert.Single(ReadmeSnippetTests.Compile(snippets, "page.md", MoreUsings));

        Assert.Equal(9, Assert.Single(snippets).Line);
        Assert.Contains("page.md(9,", error, StringComparison.Ordinal);
        Assert.Contains("AddResiliencePipelinez", error, StringComparison.Ordinal);
    }

    /// <summary>Returns each ```csharp block preceded by a <c>&lt;!-- compiled --&gt;</c> line, with the 1-based line of its first code line.</summary>
    internal static IReadOnlyList<(int Line, string Code)> ExtractMarkedSnippets(string markdown)
    {
        string text = markdown.ReplaceLineEndings("\n");
        var snippets = new List<(int, string)>();
        foreach (Match match in MarkedCSharpBlock().Matches(text))
        {
            int line = text.AsSpan(0, match.Groups["code"].Index).Count('\n') + 1;
            snippets.Add((line, match.Groups["code"].Value));
        }

        return snippets;
    }

    private static string DocsDirectory() => Path.Combine(ReadmeSnippetTests.RepositoryRoot(), "docs");

    [GeneratedRegex(@"^<!-- compiled -->[ \t]*\n```csharp[ \t]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex MarkedCSharpBlock();
}
