using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Loaders;

public class DirectoryDocumentLoaderTests
{
    [Fact]
    public async Task Loads_every_supported_file_with_its_relative_path_as_id_in_ordinal_order()
    {
        using var temp = new TempDirectory();
        temp.WriteText("b.txt", "Plain text.");
        temp.WriteText("a/guide.md", "# Guide\n\nText.");
        temp.WriteText("a/page.html", "<h1>Page</h1><p>Body</p>");
        temp.WriteBytes("c/manual.pdf", PdfDocumentLoaderTests.BuildPdf("Manual", "Page one."));
        temp.WriteText("records.jsonl", "{\"id\": \"r1\", \"text\": \"Record.\"}");

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions().AddHtml().AddPdf()), temp.Path);

        Assert.Equal(["a/guide.md", "a/page.html", "b.txt", "c/manual.pdf", "r1"], documents.Select(d => d.Id));
        Assert.Equal(["a/guide.md", "a/page.html", "b.txt", "c/manual.pdf", "records.jsonl"], documents.Select(d => d.Source));
        Assert.Equal(["markdown", "html", "text", "pdf", "jsonl"], documents.Select(d => d.Metadata["format"]));
        Assert.Empty(issues);
    }

    [Fact]
    public async Task Applies_include_and_exclude_globs()
    {
        using var temp = new TempDirectory();
        temp.WriteText("docs/a.md", "A");
        temp.WriteText("docs/drafts/b.md", "B");
        temp.WriteText("docs/c.txt", "C");
        temp.WriteText("other/d.md", "D");
        var loader = new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["docs/**/*.md"], Exclude = ["**/drafts/**"] });

        var (documents, _) = await LoadAsync(loader, temp.Path);

        Assert.Equal(["docs/a.md"], documents.Select(d => d.Id));
    }

    [Fact]
    public void Rejects_patterns_that_reach_outside_the_root()
    {
        Assert.Throws<ArgumentException>(() => new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["../**/*.md"] }));
        Assert.Throws<ArgumentException>(() => new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["docs/../../x/*"] }));
        Assert.Throws<ArgumentException>(() => new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["/etc/*"] }));
        Assert.Throws<ArgumentException>(() => new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Exclude = [".."] }));
    }

    [Fact]
    public async Task Skips_symbolic_links_that_resolve_outside_the_root_and_reports_them()
    {
        using var outside = new TempDirectory();
        string secret = outside.WriteText("secret.txt", "Outside the root.");
        outside.WriteText("dir/leak.txt", "Also outside.");
        using var temp = new TempDirectory();
        temp.WriteText("inside.txt", "Inside.");
        File.CreateSymbolicLink(temp.Combine("link-out.txt"), secret);
        Directory.CreateSymbolicLink(temp.Combine("linked-dir"), outside.Combine("dir"));
        File.CreateSymbolicLink(temp.Combine("link-in.txt"), temp.Combine("inside.txt"));

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal(["inside.txt", "link-in.txt"], documents.Select(d => d.Id));
        Assert.DoesNotContain(documents, d => d.Text.Contains("outside", StringComparison.OrdinalIgnoreCase));
        DocumentLoadIssue escaped = Assert.Single(issues, i => i.Source == "link-out.txt");
        Assert.Equal(DocumentLoadIssueKind.OutsideRoot, escaped.Kind);
        DocumentLoadIssue throughDirectory = Assert.Single(issues, i => i.Source == "linked-dir");
        Assert.Equal(DocumentLoadIssueKind.OutsideRoot, throughDirectory.Kind);
        Assert.Contains("nothing under it was read", throughDirectory.Message, StringComparison.Ordinal);
        Assert.Equal(2, issues.Count);
    }

    [Fact]
    public async Task A_symbolic_link_back_to_the_root_is_reported_once_as_a_loop_and_every_file_is_loaded_once()
    {
        using var temp = new TempDirectory();
        temp.WriteText("a.txt", "First.");
        temp.WriteText("sub/b.md", "# B\n\nSecond.");
        Directory.CreateSymbolicLink(temp.Combine("loop"), temp.Path);
        Directory.CreateSymbolicLink(temp.Combine("sub/up"), temp.Combine("sub"));

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal(["a.txt", "sub/b.md"], documents.Select(d => d.Id));
        Assert.Equal(
            [("loop", DocumentLoadIssueKind.SymbolicLinkLoop), ("sub/up", DocumentLoadIssueKind.SymbolicLinkLoop)],
            issues.Select(i => (i.Source, i.Kind)));
        Assert.Contains("back to '.'", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("back to 'sub'", issues[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_directory_links_that_point_at_each_other_are_followed_once_each_and_the_loop_is_reported()
    {
        using var temp = new TempDirectory();
        temp.WriteText("a/one.txt", "One.");
        temp.WriteText("b/two.txt", "Two.");
        Directory.CreateSymbolicLink(temp.Combine("a/to-b"), temp.Combine("b"));
        Directory.CreateSymbolicLink(temp.Combine("b/to-a"), temp.Combine("a"));

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        // A link to another directory inside the root is followed (its files load under the link's path too), but a path
        // never passes through the same directory twice.
        Assert.Equal(["a/one.txt", "a/to-b/two.txt", "b/to-a/one.txt", "b/two.txt"], documents.Select(d => d.Id));
        Assert.Equal(
            [("a/to-b/to-a", DocumentLoadIssueKind.SymbolicLinkLoop), ("b/to-a/to-b", DocumentLoadIssueKind.SymbolicLinkLoop)],
            issues.Select(i => (i.Source, i.Kind)));
    }

    [Fact]
    public async Task Without_the_satellite_loaders_html_and_pdf_files_are_skipped_with_the_package_that_reads_them()
    {
        using var temp = new TempDirectory();
        temp.WriteText("page.html", "<h1>Page</h1><p>Body</p>");
        temp.WriteBytes("manual.pdf", PdfDocumentLoaderTests.BuildPdf("Manual", "Page one."));
        temp.WriteText("notes.txt", "Plain text.");

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal(["notes.txt"], documents.Select(d => d.Id));
        DocumentLoadIssue html = Assert.Single(issues, i => i.Source == "page.html");
        Assert.Equal(DocumentLoadIssueKind.Unsupported, html.Kind);
        Assert.Contains("AiEng.Retrieval.Html", html.Message, StringComparison.Ordinal);
        Assert.Contains("AddHtml()", html.Message, StringComparison.Ordinal);
        DocumentLoadIssue pdf = Assert.Single(issues, i => i.Source == "manual.pdf");
        Assert.Equal(DocumentLoadIssueKind.Unsupported, pdf.Kind);
        Assert.Contains("AiEng.Retrieval.Pdf", pdf.Message, StringComparison.Ordinal);
        Assert.Contains("AddPdf()", pdf.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skips_binary_and_unsupported_files_with_the_reason_and_goes_on()
    {
        using var temp = new TempDirectory();
        temp.WriteBytes("image.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A]);
        temp.WriteBytes("program.exe", [0x4D, 0x5A, 0x00]);
        temp.WriteText("z.txt", "Still loaded.");

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal(["z.txt"], documents.Select(d => d.Id));
        Assert.Equal(
            [("image.txt", DocumentLoadIssueKind.Binary), ("program.exe", DocumentLoadIssueKind.Unsupported)],
            issues.Select(i => (i.Source, i.Kind)));
        Assert.Contains("binary", issues[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'.exe'", issues[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_invalid_utf8_and_empty_files_by_relative_path()
    {
        using var temp = new TempDirectory();
        temp.WriteBytes("docs/latin1.txt", [.. "caf"u8, 0xE9]);
        temp.WriteText("docs/empty.md", "   ");

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal("caf\uFFFD", Assert.Single(documents).Text);
        Assert.Equal(
            [("docs/empty.md", DocumentLoadIssueKind.Empty), ("docs/latin1.txt", DocumentLoadIssueKind.InvalidUtf8)],
            issues.Select(i => (i.Source, i.Kind)));
    }

    [Fact]
    public async Task Reports_a_malformed_jsonl_file_with_its_line_and_keeps_the_records_before_it()
    {
        using var temp = new TempDirectory();
        temp.WriteText("a.jsonl", "{\"id\": \"1\", \"text\": \"one\"}\n{oops\n{\"id\": \"3\", \"text\": \"three\"}");
        temp.WriteText("b.txt", "After.");

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(), temp.Path);

        Assert.Equal(["1", "b.txt"], documents.Select(d => d.Id));
        DocumentLoadIssue issue = Assert.Single(issues);
        Assert.Equal((DocumentLoadIssueKind.Malformed, "a.jsonl", 2), (issue.Kind, issue.Source, issue.LineNumber!.Value));
        Assert.Contains("line 2", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_unreadable_file_and_goes_on()
    {
        using var temp = new TempDirectory();
        temp.WriteText("a.log", "x");
        temp.WriteText("b.txt", "Readable.");
        var options = new DirectoryDocumentLoaderOptions();
        options.Loaders[".log"] = new FailingLoader();

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(options), temp.Path);

        Assert.Equal(["b.txt"], documents.Select(d => d.Id));
        DocumentLoadIssue issue = Assert.Single(issues);
        Assert.Equal((DocumentLoadIssueKind.Unreadable, "a.log"), (issue.Kind, issue.Source));
        Assert.Contains("device not ready", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_root_fails_when_called()
    {
        using var temp = new TempDirectory();

        Assert.Throws<DirectoryNotFoundException>(() => new DirectoryDocumentLoader().LoadAsync(temp.Combine("missing")));
    }

    [Fact]
    public async Task Later_changes_to_the_options_have_no_effect()
    {
        using var temp = new TempDirectory();
        temp.WriteText("a.md", "A");
        temp.WriteText("b.txt", "B");
        var options = new DirectoryDocumentLoaderOptions { Include = ["*.md"] };
        var loader = new DirectoryDocumentLoader(options);

        options.Include[0] = "*.txt";
        options.Loaders.Clear();

        var (documents, _) = await LoadAsync(loader, temp.Path);
        Assert.Equal(["a.md"], documents.Select(d => d.Id));
    }

    [Fact]
    public async Task Skips_a_file_above_the_size_limit_without_opening_it_and_reports_its_size_and_the_limit()
    {
        using var temp = new TempDirectory();
        temp.WriteText("big.txt", new string('x', 101));
        temp.WriteText("small.txt", new string('y', 100));
        var opened = new List<string>();
        var recording = new RecordingLoader(opened);
        var options = new DirectoryDocumentLoaderOptions { MaxFileBytes = 100 };
        options.Loaders[".txt"] = recording;

        var (documents, issues) = await LoadAsync(new DirectoryDocumentLoader(options), temp.Path);

        Assert.Equal(["small.txt"], documents.Select(d => d.Id));
        Assert.Equal(["small.txt"], opened);
        DocumentLoadIssue issue = Assert.Single(issues);
        Assert.Equal(("big.txt", DocumentLoadIssueKind.TooLarge), (issue.Source, issue.Kind));
        Assert.Contains("101 bytes", issue.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileBytes (100)", issue.Message, StringComparison.Ordinal);
        Assert.Equal(64L * 1024 * 1024, new DirectoryDocumentLoaderOptions().MaxFileBytes);
    }

    [Fact]
    public void Rejects_a_size_limit_below_one_byte()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { MaxFileBytes = 0 }));

        Assert.Equal(nameof(DirectoryDocumentLoaderOptions.MaxFileBytes), ex.ParamName);
    }

    private static Task<(List<Document> Documents, IReadOnlyList<DocumentLoadIssue> Issues)> LoadAsync(DirectoryDocumentLoader loader, string root) =>
        TestSources.LoadDirectoryAsync(loader, root);

    private sealed class FailingLoader : IDocumentLoader
    {
        public IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, CancellationToken cancellationToken = default) =>
            Fail();

        private static async IAsyncEnumerable<Document> Fail()
        {
            await Task.Yield();
            throw new IOException("device not ready");
#pragma warning disable CS0162 // Unreachable code: an async iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }
    }

    private sealed class RecordingLoader(List<string> opened) : IDocumentLoader
    {
        public async IAsyncEnumerable<Document> LoadAsync(DocumentSource source, IProgress<DocumentLoadIssue>? issues, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            opened.Add(source.Name);
            await Task.Yield();
            yield return new Document(source.Name, "text");
        }
    }
}
