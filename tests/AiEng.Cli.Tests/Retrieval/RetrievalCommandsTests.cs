using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiEng.Cli.Tests.TestSupport;

namespace AiEng.Cli.Tests.Retrieval;

public class RetrievalCommandsTests : IClassFixture<ToolFixture>
{
    private const string Retries =
        "# Retries\n\nThe resilience middleware retries status codes 429, 500, 502, 503 and 504 with exponential backoff.\n\n## Waiting\n\nIt waits for the Retry-After header when the server sends one.\n";

    private const string Keys = "# Keys\n\nSet the API key of an OpenAI model with AiEng__Chat__ApiKey.\n";

    private readonly InstalledTool _tool;

    public RetrievalCommandsTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task Ingest_is_incremental_and_search_and_ask_answer_from_the_sqlite_store_with_scores_and_citations()
    {
        using var work = new WorkDirectory();
        work.Write("docs/retries.md", Retries);
        work.Write("docs/keys.md", Keys);

        CliRun first = await _tool.RunAsync(work.Path, "ingest", "docs", "--store", "sqlite:index.db", "--json");
        CliRun second = await _tool.RunAsync(work.Path, "ingest", "docs", "--store", "sqlite:index.db", "--json");
        work.Write("docs/keys.md", Keys + "\nKeep keys out of appsettings.json.\n");
        CliRun third = await _tool.RunAsync(work.Path, "ingest", "docs", "--store", "sqlite:index.db", "--json");
        CliRun search = await _tool.RunAsync(work.Path, "search", "which status codes are retried", "--store", "sqlite:index.db", "--top", "2", "--json");
        CliRun ask = await _tool.RunAsync(work.Path, "ask", "Which status codes are retried?", "--store", "sqlite:index.db");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal((2, 0, 3), (first.Json().GetProperty("added").GetInt32(), first.Json().GetProperty("unchanged").GetInt32(), first.Json().GetProperty("chunks").GetInt32()));
        Assert.Contains("ingest: 2/2 documents", first.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(work.File("index.db")));

        // Unchanged documents are skipped by their content hash: nothing is embedded again.
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal((0, 2, 0), (second.Json().GetProperty("added").GetInt32(), second.Json().GetProperty("unchanged").GetInt32(), second.Json().GetProperty("chunks").GetInt32()));
        Assert.Equal(0, second.Json().GetProperty("embeddingTokens").GetInt64());
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal((1, 1), (third.Json().GetProperty("updated").GetInt32(), third.Json().GetProperty("unchanged").GetInt32()));

        Assert.True(search.ExitCode == 0, search.ToString());
        JsonElement[] results = [.. search.Json().GetProperty("results").EnumerateArray()];
        Assert.Equal(2, results.Length);
        Assert.Equal("retries.md", results[0].GetProperty("documentId").GetString());
        Assert.Equal([1, 2], results.Select(r => r.GetProperty("rank").GetInt32()));
        Assert.True(results[0].GetProperty("score").GetDouble() >= results[1].GetProperty("score").GetDouble());

        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains("429, 500, 502, 503 and 504", ask.Output, StringComparison.Ordinal);
        Assert.Contains("Sources:\n  [1] Retries (retries.md", ask.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("no language model is configured", ask.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_with_json_returns_the_answer_and_its_citations_from_the_default_store()
    {
        using var work = new WorkDirectory();
        work.Write("docs/retries.md", Retries);
        Assert.Equal(0, (await _tool.RunAsync(work.Path, "ingest", "docs")).ExitCode);

        CliRun ask = await _tool.RunAsync(work.Path, "ask", "How long does it wait?", "--json");

        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.True(File.Exists(work.File(".aieng/index.db")));
        JsonElement json = ask.Json();
        Assert.Contains("Retry-After", json.GetProperty("answer").GetString(), StringComparison.Ordinal);
        JsonElement citation = json.GetProperty("citations").EnumerateArray().First();
        Assert.Equal("retries.md", citation.GetProperty("documentId").GetString());
        Assert.Equal(1, citation.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Ctrl_c_stops_an_ingestion_with_exit_code_130_keeping_the_documents_already_written() // SIGINT sent with kill(1): Linux and macOS
    {
        using var work = new WorkDirectory();
        const int Documents = 400;
        for (int i = 0; i < Documents; i++)
        {
            work.Write($"docs/d{i:000}.md", $"# Document {i}\n\nDocument {i} is about topic {i % 7}: retries, keys, stores and prompts.\n");
        }

        using Process process = _tool.Start(work.Path, new Dictionary<string, string?>(), "ingest", "docs");
        string? line;
        do
        {
            line = await process.StandardError.ReadLineAsync();
        }
        while (line is not null && !line.StartsWith("ingest: 2/", StringComparison.Ordinal) && !line.StartsWith("ingest: 3/", StringComparison.Ordinal));

        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        CliRun interrupted = await InstalledTool.WaitAsync(process, ["ingest", "docs"]);
        CliRun resumed = await _tool.RunAsync(work.Path, "ingest", "docs", "--json");

        Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
        Assert.Contains("aieng: cancelled", interrupted.Error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        JsonElement json = resumed.Json();
        int unchanged = json.GetProperty("unchanged").GetInt32();
        Assert.Equal(Documents, json.GetProperty("added").GetInt32() + unchanged);
        Assert.InRange(unchanged, 1, Documents - 1);
        Assert.Empty(json.GetProperty("issues").EnumerateArray());
    }

    [Fact]
    public async Task Bad_input_to_ingest_search_and_ask_exits_2_with_one_line_naming_what_is_wrong()
    {
        using var work = new WorkDirectory();

        CliRun missing = await _tool.RunAsync(work.Path, "ingest", "nowhere");
        CliRun store = await _tool.RunAsync(work.Path, "search", "query", "--store", "index.db");
        CliRun top = await _tool.RunAsync(work.Path, "ask", "question", "--top", "0");

        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains(work.File("nowhere"), Assert.Single(missing.ErrorLines), StringComparison.Ordinal);
        Assert.True(store.ExitCode == 2, store.ToString());
        Assert.StartsWith("aieng: error: --store: 'index.db'", Assert.Single(store.ErrorLines), StringComparison.Ordinal);
        Assert.True(top.ExitCode == 2, top.ToString());
        Assert.StartsWith("aieng: error: --top: 0", Assert.Single(top.ErrorLines), StringComparison.Ordinal);
    }
}
