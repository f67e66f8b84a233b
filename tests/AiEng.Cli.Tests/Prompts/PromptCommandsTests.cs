using System.Text.Json;
using AiEng.Cli.Tests.TestSupport;

namespace AiEng.Cli.Tests.Prompts;

public class PromptCommandsTests : IClassFixture<ToolFixture>
{
    private const string Greeting =
        "---\nname: greet\nversion: 1.0\ninputs:\n  name:\n    type: string\n    required: true\n  times:\n    type: integer\n    default: 1\nsample:\n  name: Ann\n---\nsystem:\nBe kind.\nuser:\nHello {{ name }} x{{ times }}\n";

    private readonly InstalledTool _tool;

    public PromptCommandsTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task Render_prints_each_message_with_its_role_and_types_inputs_by_their_declaration()
    {
        using var work = new WorkDirectory();
        work.Write("greet.prompty", Greeting);

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "render", "greet.prompty", "--input", "name=Bob", "-i", "times=3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("--- system\nBe kind.\n--- user\nHello Bob x3\n", run.Output.ReplaceLineEndings("\n"));
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Render_with_json_writes_the_messages_and_the_prompt_id()
    {
        using var work = new WorkDirectory();
        work.Write("greet.prompty", Greeting);

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "render", "greet.prompty", "--input", "name=Bob", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement json = run.Json();
        Assert.Equal("greet@1.0", json.GetProperty("prompt").GetString());
        Assert.StartsWith("sha256:", json.GetProperty("contentHash").GetString(), StringComparison.Ordinal);
        JsonElement[] messages = [.. json.GetProperty("messages").EnumerateArray()];
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Hello Bob x1", messages[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Render_without_a_required_input_fails_with_exit_code_2_and_one_line_naming_the_file_and_input()
    {
        using var work = new WorkDirectory();
        string path = work.Write("greet.prompty", Greeting);

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "render", "greet.prompty");

        Assert.True(run.ExitCode == 2, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("'name'", line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Render_rejects_a_value_that_is_not_of_the_declared_type()
    {
        using var work = new WorkDirectory();
        work.Write("greet.prompty", Greeting);

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "render", "greet.prompty", "-i", "name=Bob", "-i", "times=many");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--input times", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_of_a_missing_file_names_the_file()
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "render", "missing.prompty");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(work.File("missing.prompty"), Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_includes_partials_from_the_prompt_files_directory_or_from_the_partials_directory()
    {
        using var work = new WorkDirectory();
        work.Write("prompts/tone.liquid", "Be brief.");
        work.Write("prompts/shared/sign.liquid", "Signed {{ name }}.");
        work.Write("prompts/reply.prompty", "---\nname: reply\ninputs:\n  name:\n    type: string\n---\nsystem:\n{% include 'tone' %}\nuser:\n{% include 'shared/sign' %}\n");
        work.Write("prompts/support/escalate.prompty", "---\nname: escalate\n---\nsystem:\n{% include 'tone' %} Escalate.\n");

        CliRun beside = await _tool.RunAsync(work.Path, "prompt", "render", "prompts/reply.prompty", "-i", "name=Bob");
        CliRun fromRoot = await _tool.RunAsync(work.Path, "prompt", "render", "prompts/support/escalate.prompty", "--partials", "prompts");
        CliRun missing = await _tool.RunAsync(work.Path, "prompt", "render", "prompts/support/escalate.prompty");

        Assert.True(beside.ExitCode == 0, beside.ToString());
        Assert.Equal("--- system\nBe brief.\n--- user\nSigned Bob.\n", beside.Output.ReplaceLineEndings("\n"));
        Assert.True(fromRoot.ExitCode == 0, fromRoot.ToString());
        Assert.Equal("--- system\nBe brief. Escalate.\n", fromRoot.Output.ReplaceLineEndings("\n"));
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("tone", Assert.Single(missing.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_valid_prompts_exits_0()
    {
        using var work = new WorkDirectory();
        work.Write("prompts/greet.prompty", Greeting);
        work.Write("prompts/shared/tone.liquid", "Be brief.");
        work.Write("prompts/other.prompty", "---\nname: other\n---\nsystem:\n{% include 'shared/tone' %}\n");

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "prompts");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("2 prompt files checked: all valid.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_every_broken_file_with_line_and_column_and_exits_1()
    {
        using var work = new WorkDirectory();
        work.Write("prompts/greet.prompty", Greeting);
        string syntax = work.Write("prompts/a.prompty", "---\nname: a\n---\nuser:\n{% if %}\n");
        string variable = work.Write("prompts/b.prompty", "---\nname: b\ninputs:\n  q:\n    type: string\nsample:\n  q: hi\n---\nuser:\n{{ question }}\n");

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "prompts", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        JsonElement json = run.Json();
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal(3, json.GetProperty("files").GetInt32());
        JsonElement[] problems = [.. json.GetProperty("problems").EnumerateArray()];
        Assert.Equal([syntax, variable], problems.Select(p => p.GetProperty("file").GetString()));
        Assert.Equal(5, problems[0].GetProperty("line").GetInt32());
        Assert.True(problems[0].GetProperty("column").GetInt32() > 0);
        Assert.Contains("question", problems[1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_missing_directory_exits_2()
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, "prompt", "check", "nowhere");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(work.File("nowhere"), Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
