using AiEng.Cli.Tests.TestSupport;
using AiEng.Inference;
using AiEng.TestSupport;
using Npgsql;

namespace AiEng.Cli.Tests.Cost;

public class CostReportCommandTests : IClassFixture<ToolFixture>
{
    private readonly InstalledTool _tool;

    public CostReportCommandTests(ToolFixture fixture) => _tool = fixture.Tool;

    [PgliteFact]
    public async Task Reports_the_shared_ledgers_calls_since_a_date_as_markdown_and_as_an_html_file()
    {
        await using PgliteServer server = await PgliteServer.StartAsync(Path.Combine(InstalledTool.RepositoryRoot, "tests", "AiEng.Postgres.Tests", "pglite"));
        await using (NpgsqlDataSource source = NpgsqlDataSource.Create(server.ConnectionString))
        {
            // What an application using AddPostgresUsageLedger would have recorded: two calls in December, one before.
            var ledger = new PostgresUsageLedger(source);
            await ledger.RecordAsync(new UsageRecord { Timestamp = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), Operation = "chat", Model = "gpt-4o", InputTokens = 100, Cost = 5m });
            await ledger.RecordAsync(new UsageRecord { Timestamp = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), Operation = "chat", Model = "gpt-4o-mini", InputTokens = 40, Cost = 0.25m, CallerTag = "support" });
            await ledger.RecordAsync(new UsageRecord { Timestamp = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), Operation = "embeddings", Model = "text-embedding-3-small", InputTokens = 400, Cost = 0.5m });
        }

        using var work = new WorkDirectory();
        var environment = new Dictionary<string, string?> { ["AiEng__Usage__Postgres__ConnectionString"] = server.ConnectionString };

        CliRun markdown = await _tool.RunAsync(work.Path, environment, "cost", "report", "--since", "2026-12-01T00:00Z");
        CliRun html = await _tool.RunAsync(work.Path, environment, "cost", "report", "--since", "2026-12-01T00:00Z", "--format", "html", "--out", "cost.html", "--json");

        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        Assert.Contains("gpt-4o-mini", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("text-embedding-3-small", markdown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("| gpt-4o |", markdown.Output, StringComparison.Ordinal);
        Assert.True(html.ExitCode == 0, html.ToString());
        Assert.Equal(2, html.Json().GetProperty("calls").GetInt32());
        Assert.Equal(0.75m, html.Json().GetProperty("cost").GetDecimal());
        Assert.Contains("<svg", await File.ReadAllTextAsync(work.File("cost.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_ledger_the_report_is_bad_input_saying_how_to_configure_one()
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, "cost", "report", "--since", "2026-12-01");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("AiEng__Usage__Postgres__ConnectionString", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_date_or_ledger_is_bad_usage()
    {
        using var work = new WorkDirectory();

        CliRun date = await _tool.RunAsync(work.Path, "cost", "report", "--since", "last-tuesday", "--ledger", "Host=localhost");
        CliRun ledger = await _tool.RunAsync(work.Path, "cost", "report", "--ledger", "Hots=localhost;Nope=1");

        Assert.True(date.ExitCode == 2, date.ToString());
        Assert.Contains("last-tuesday", date.ErrorLines[0], StringComparison.Ordinal);
        Assert.True(ledger.ExitCode == 2, ledger.ToString());
        Assert.StartsWith("aieng: error: --ledger:", Assert.Single(ledger.ErrorLines), StringComparison.Ordinal);
    }
}
