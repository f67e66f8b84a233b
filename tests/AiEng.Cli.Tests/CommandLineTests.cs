using AiEng.Cli.Tests.TestSupport;

namespace AiEng.Cli.Tests;

/// <summary>What every command shares: help with examples, bad usage, configuration files.</summary>
public class CommandLineTests : IClassFixture<ToolFixture>
{
    private readonly InstalledTool _tool;

    public CommandLineTests(ToolFixture fixture) => _tool = fixture.Tool;

    public static TheoryData<string> Commands => new()
    {
        "prompt render",
        "prompt check",
        "ingest",
        "search",
        "ask",
        "eval run",
        "eval compare",
        "eval report",
        "eval gate",
        "finetune check",
        "finetune estimate",
        "finetune submit",
        "finetune status",
        "finetune cancel",
        "cost report",
        "quantize",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_shows_an_example_of_the_command(string command)
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, [.. command.Split(' '), "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Examples:", run.Output, StringComparison.Ordinal);
        Assert.Contains("  aieng " + command + " ", run.Output, StringComparison.Ordinal);
        Assert.Contains("--json", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_bad_usage_with_exit_code_2()
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "prompts", "--bogus");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'--bogus'", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("aieng prompt check --help", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_missing_config_file_is_bad_input_naming_the_file()
    {
        using var work = new WorkDirectory();
        work.Write("prompts/p.prompty", "user:\nhi\n");

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "prompts", "--config", "nope.json");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(work.File("nope.json"), Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_appsettings_file_is_bad_input_naming_the_file()
    {
        using var work = new WorkDirectory();
        work.Write("appsettings.json", "{ \"AiEng\": ");
        work.Write("prompts/p.prompty", "user:\nhi\n");

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "prompts");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("appsettings.json", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
