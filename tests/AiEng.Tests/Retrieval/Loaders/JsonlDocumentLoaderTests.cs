using AiEng.Retrieval;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Retrieval.Loaders;

public class JsonlDocumentLoaderTests
{
    [Fact]
    public async Task Loads_one_document_a_record_with_the_default_fields_and_other_scalars_as_metadata()
    {
        const string lines = """
            {"id": "a1", "title": "Alpha", "text": "First text.", "lang": "en", "year": 2024, "tags": ["x"]}

            {"id": 7, "text": "Second text."}
            """;

        var (documents, issues) = await TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText(lines, "data.jsonl"));

        Assert.Empty(issues);
        Assert.Equal(["a1", "7"], documents.Select(d => d.Id));
        Assert.Equal("Alpha", documents[0].Title);
        Assert.Null(documents[1].Title);
        Assert.Equal("First text.", documents[0].Text);
        Assert.Equal("data.jsonl", documents[0].Source);
        Assert.Equal("en", documents[0].Metadata["lang"]);
        Assert.Equal("2024", documents[0].Metadata["year"]);
        Assert.False(documents[0].Metadata.ContainsKey("tags"));
        Assert.Equal("3", documents[1].Metadata["line"]);
    }

    [Fact]
    public async Task Reads_a_beir_corpus()
    {
        const string lines = """
            {"_id": "4983", "title": "Microstructural development", "text": "Alterations of the architecture.", "metadata": {}}
            {"_id": "5836", "title": "", "text": "Another abstract."}
            """;

        var (documents, _) = await TestSources.LoadAsync(new JsonlDocumentLoader(JsonlDocumentLoaderOptions.ForBeirCorpus()), TestSources.FromText(lines, "corpus.jsonl"));

        Assert.Equal(["4983", "5836"], documents.Select(d => d.Id));
        Assert.Equal("Microstructural development", documents[0].Title);
        Assert.Null(documents[1].Title);
        Assert.Equal("Alterations of the architecture.", documents[0].Text);
    }

    [Fact]
    public async Task A_malformed_line_names_the_file_and_line()
    {
        const string lines = "{\"id\": \"1\", \"text\": \"ok\"}\n{\"id\": \"2\", \"text\": \"broken\"\n{\"id\": \"3\", \"text\": \"never read\"}";
        var loaded = new List<Document>();

        var error = await Assert.ThrowsAsync<DocumentLoadException>(async () =>
        {
            await foreach (Document document in new JsonlDocumentLoader().LoadAsync(TestSources.FromText(lines, "data/docs.jsonl")))
            {
                loaded.Add(document);
            }
        });

        Assert.Equal("data/docs.jsonl", error.SourceName);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("'data/docs.jsonl' at line 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(["1"], loaded.Select(d => d.Id));
    }

    [Fact]
    public async Task With_SkipMalformedLines_each_bad_line_is_reported_and_the_rest_of_the_file_is_read()
    {
        string deep = new string('[', 200) + new string(']', 200);
        string lines = string.Join('\n',
            "{\"id\": \"1\", \"text\": \"first\"}",
            "{\"id\": \"2\", \"text\": \"broken\"",
            "{\"text\": \"no id\"}",
            "{\"id\": \"4\", \"text\": 5}",
            deep,
            "{\"id\": \"6\", \"text\": \"last\"}");
        var loader = new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { SkipMalformedLines = true });

        var (documents, issues) = await TestSources.LoadAsync(loader, TestSources.FromText(lines, "logs/app.jsonl"));

        Assert.Equal(["1", "6"], documents.Select(d => d.Id));
        Assert.Equal([2, 3, 4, 5], issues.Select(i => i.LineNumber!.Value));
        Assert.All(issues, i => Assert.Equal(DocumentLoadIssueKind.Malformed, i.Kind));
        Assert.All(issues, i => Assert.Equal("logs/app.jsonl", i.Source));
        Assert.All(issues, i => Assert.Contains("The line was skipped", i.Message, StringComparison.Ordinal));
        Assert.Equal("4", issues[2].DocumentId);
        Assert.Contains("not valid JSON", issues[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_longer_than_MaxLineChars_is_malformed_without_being_held_and_the_next_lines_can_still_be_read()
    {
        string huge = "{\"id\": \"2\", \"text\": \"" + new string('z', 5_000) + "\"}";
        string lines = "{\"id\": \"1\", \"text\": \"a\"}\n" + huge + "\n{\"id\": \"3\", \"text\": \"c\"}";

        var strict = await Assert.ThrowsAsync<DocumentLoadException>(() => TestSources.LoadAsync(
            new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { MaxLineChars = 1_000 }), TestSources.FromText(lines, "big.jsonl")));
        var (documents, issues) = await TestSources.LoadAsync(
            new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { MaxLineChars = 1_000, SkipMalformedLines = true }), TestSources.FromText(lines, "big.jsonl"));
        var (underLimit, _) = await TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText(lines, "big.jsonl"));

        Assert.Equal(2, strict.LineNumber);
        Assert.Contains("5,023 characters long, more than JsonlDocumentLoaderOptions.MaxLineChars (1,000)", strict.Message, StringComparison.Ordinal);
        Assert.Equal(["1", "3"], documents.Select(d => d.Id));
        Assert.Equal(2, Assert.Single(issues).LineNumber);
        Assert.Equal(["1", "2", "3"], underLimit.Select(d => d.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { MaxLineChars = 0 }));
    }

    [Fact]
    public async Task Through_the_directory_loader_a_bad_line_skips_the_rest_of_the_file_unless_SkipMalformedLines_is_set()
    {
        using var temp = new TempDirectory();
        temp.WriteText("data.jsonl", "{\"id\": \"1\", \"text\": \"a\"}\nnot json\n{\"id\": \"3\", \"text\": \"c\"}\n");
        var lenient = new DirectoryDocumentLoaderOptions();
        lenient.Loaders[".jsonl"] = new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { SkipMalformedLines = true });

        var strict = await TestSources.LoadDirectoryAsync(new DirectoryDocumentLoader(), temp.Path);
        var skipping = await TestSources.LoadDirectoryAsync(new DirectoryDocumentLoader(lenient), temp.Path);

        Assert.Equal(["1"], strict.Documents.Select(d => d.Id));
        Assert.Contains("The rest of the file was skipped", Assert.Single(strict.Issues).Message, StringComparison.Ordinal);
        Assert.Equal(["1", "3"], skipping.Documents.Select(d => d.Id));
        Assert.Equal(2, Assert.Single(skipping.Issues).LineNumber);
    }

    [Fact]
    public async Task A_record_without_an_id_or_with_a_non_string_text_is_malformed()
    {
        var noId = await Assert.ThrowsAsync<DocumentLoadException>(
            () => TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText("{\"text\": \"x\"}", "a.jsonl")));
        var badText = await Assert.ThrowsAsync<DocumentLoadException>(
            () => TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText("\n{\"id\": \"r9\", \"text\": 5}", "a.jsonl")));
        var notObject = await Assert.ThrowsAsync<DocumentLoadException>(
            () => TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText("[1, 2]", "a.jsonl")));

        Assert.Contains("'id'", noId.Message, StringComparison.Ordinal);
        Assert.Equal(1, noId.LineNumber);
        Assert.Equal(2, badText.LineNumber);
        Assert.Equal("r9", badText.RecordId);
        Assert.Contains("Array", notObject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skips_records_without_text_and_reports_their_line()
    {
        const string lines = "{\"id\": \"1\", \"text\": \"  \"}\n{\"id\": \"2\"}\n{\"id\": \"3\", \"text\": \"kept\"}";

        var (documents, issues) = await TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText(lines, "a.jsonl"));

        Assert.Equal(["3"], documents.Select(d => d.Id));
        Assert.Equal([(1, "1"), (2, "2")], issues.Select(i => (i.LineNumber!.Value, i.DocumentId!)));
        Assert.All(issues, i => Assert.Equal(DocumentLoadIssueKind.Empty, i.Kind));
    }

    [Fact]
    public async Task Replaces_invalid_utf8_and_reports_it_once()
    {
        byte[] bytes = [.. "{\"id\": \"1\", \"text\": \"a"u8, 0xFF, .. "b\"}\n{\"id\": \"2\", \"text\": \"c"u8, 0xFE, .. "\"}"u8];

        var (documents, issues) = await TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromBytes(bytes, "a.jsonl"));

        Assert.Equal(["a\uFFFDb", "c\uFFFD"], documents.Select(d => d.Text));
        Assert.Equal(DocumentLoadIssueKind.InvalidUtf8, Assert.Single(issues).Kind);
    }

    [Fact]
    public async Task A_line_with_an_unpaired_surrogate_escape_fails_naming_its_line_while_pairs_and_escaped_backslashes_load()
    {
        // Found by fuzzing with a JSON dictionary: System.Text.Json parses "\ud800" but throws InvalidOperationException
        // when the string is read, which escaped the loader.
        string good = "{\"id\":\"a\",\"text\":\"smile \\ud83d\\ude00 and a path C:\\\\ud800\"}";
        string bad = "{\"id\":\"b\",\"text\":\"x\\ud800y\"}";

        var (documents, _) = await TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText(good, "ok.jsonl"));
        var error = await Assert.ThrowsAsync<DocumentLoadException>(() => TestSources.LoadAsync(new JsonlDocumentLoader(), TestSources.FromText(good + "\n" + bad, "bad.jsonl")));

        Assert.Equal("smile \U0001F600 and a path C:\\ud800", Assert.Single(documents).Text);
        Assert.Contains("'bad.jsonl' at line 2: the line holds an unpaired UTF-16 surrogate escape at character 20", error.Message, StringComparison.Ordinal);
    }
}
