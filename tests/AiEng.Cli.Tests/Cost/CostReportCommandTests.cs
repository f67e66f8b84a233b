using AiEng.Cli.Tests.TestSupport;

namespace AiEng.Cli.Tests.Cost;

public class CostReportCommandTests : IClassFixture<ToolFixture>
{
    private readonly InstalledTool _tool;

    public CostReportCommandTests(ToolFixture fixture) => _tool = fixture.Tool;

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
