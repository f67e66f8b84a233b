using System.Text.Json;
using AiEng.Cli.Tests.TestSupport;
using AiEng.Testing;

namespace AiEng.Cli.Tests.Evaluation;

public class EvaluationCommandsTests : IClassFixture<ToolFixture>
{
    private const string Dataset =
        "{\"id\": \"q1\", \"input\": \"What is two plus two?\", \"reference\": \"four\"}\n" +
        "{\"id\": \"q2\", \"input\": \"Capital of France?\", \"reference\": \"Paris\"}\n" +
        "{\"id\": \"q3\", \"input\": \"Colour of the sky?\", \"reference\": \"blue\"}\n";

    private readonly InstalledTool _tool;

    public EvaluationCommandsTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task Run_answers_with_the_model_configured_by_environment_variables_and_writes_the_run_folder()
    {
        using var work = new WorkDirectory();
        work.Write("questions.jsonl", Dataset);
        await using OpenAITestServer server = await StartAnsweringServerAsync(correct: 2);

        CliRun run = await _tool.RunAsync(work.Path, ModelEnvironment(server), "eval", "run", "questions.jsonl", "--name", "pr", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement json = run.Json();
        Assert.Equal(3, json.GetProperty("cases").GetInt32());
        Assert.Equal(0, json.GetProperty("failed").GetInt32());
        JsonElement exact = json.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "Exact Match");
        Assert.Equal(2.0 / 3, exact.GetProperty("mean").GetDouble(), 6);
        foreach (string file in new[] { "cases.jsonl", "report.json", "summary.md", "junit.xml", "report.html" })
        {
            Assert.True(File.Exists(work.File(Path.Combine("runs", "pr", file))), file);
        }

        Assert.Contains("eval: 3/3 cases", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_of_a_broken_data_set_fails_before_any_call_naming_the_file_line_and_property()
    {
        using var work = new WorkDirectory();
        string path = work.Write("questions.jsonl", "{\"id\": \"q1\", \"input\": \"x\"}\n{\"id\": \"q2\", \"inptu\": \"y\"}\n");

        CliRun run = await _tool.RunAsync(work.Path, "eval", "run", "questions.jsonl");

        Assert.True(run.ExitCode == 2, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(path + ":2:", line, StringComparison.Ordinal);
        Assert.Contains("'inptu'", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.File("runs")));
    }

    [Fact]
    public async Task Gate_exits_0_when_every_rule_holds_and_1_when_one_fails_and_compare_reports_the_intervals()
    {
        using var work = new WorkDirectory();
        work.Write("questions.jsonl", Dataset);
        work.Write("pass.json", "{\"rules\": [{\"metric\": \"Exact Match\", \"min\": 0.6}, {\"metric\": \"Token F1\", \"noRegression\": 0.5}]}");
        work.Write("fail.json", "{\"rules\": [{\"metric\": \"Exact Match\", \"min\": 0.9}]}");
        await using (OpenAITestServer good = await StartAnsweringServerAsync(correct: 3))
        {
            Assert.Equal(0, (await _tool.RunAsync(work.Path, ModelEnvironment(good), "eval", "run", "questions.jsonl", "--name", "main")).ExitCode);
        }

        await using (OpenAITestServer worse = await StartAnsweringServerAsync(correct: 2))
        {
            Assert.Equal(0, (await _tool.RunAsync(work.Path, ModelEnvironment(worse), "eval", "run", "questions.jsonl", "--name", "pr")).ExitCode);
        }

        CliRun passed = await _tool.RunAsync(work.Path, "eval", "gate", "runs/pr", "--rules", "pass.json", "--baseline", "runs/main");
        CliRun failed = await _tool.RunAsync(work.Path, "eval", "gate", "runs/pr/report.json", "--rules", "fail.json", "--json");
        CliRun compared = await _tool.RunAsync(work.Path, "eval", "compare", "runs/main", "runs/pr", "--json");

        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("PASS mean(Exact Match) >= 0.6", passed.Output, StringComparison.Ordinal);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        JsonElement check = Assert.Single(failed.Json().GetProperty("checks").EnumerateArray());
        Assert.False(check.GetProperty("passed").GetBoolean());
        Assert.Contains("mean 0.6667 over 3 cases", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(compared.ExitCode == 0, compared.ToString());
        JsonElement delta = compared.Json().GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "Exact Match");
        Assert.Equal(-1.0 / 3, delta.GetProperty("delta").GetDouble(), 6);
        Assert.Equal(3, delta.GetProperty("pairedCases").GetInt32());
        Assert.True(delta.GetProperty("lower").GetDouble() <= delta.GetProperty("delta").GetDouble());
        Assert.False(delta.GetProperty("significant").GetBoolean());
    }

    [Fact]
    public async Task Gate_with_a_broken_rules_file_is_bad_input_naming_the_rule()
    {
        using var work = new WorkDirectory();
        work.Write("questions.jsonl", Dataset);
        string rules = work.Write("gate.json", "{\"rules\": [{\"metric\": \"Exact Match\", \"min\": 0.6, \"max\": 0.9}]}");
        Assert.Equal(0, (await _tool.RunAsync(work.Path, "eval", "run", "questions.jsonl", "--name", "offline")).ExitCode);

        CliRun run = await _tool.RunAsync(work.Path, "eval", "gate", "runs/offline", "--rules", "gate.json");
        work.Write("ok.json", "{\"rules\": [{\"metric\": \"Exact Match\", \"min\": 0}]}");
        CliRun missing = await _tool.RunAsync(work.Path, "eval", "gate", "runs/nothing", "--rules", "ok.json");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(rules + ": rules[0] (Exact Match): give exactly one of", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains(work.File("runs/nothing"), Assert.Single(missing.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_renders_each_format_to_standard_output_or_to_a_file()
    {
        using var work = new WorkDirectory();
        work.Write("questions.jsonl", Dataset);
        Assert.Equal(0, (await _tool.RunAsync(work.Path, "eval", "run", "questions.jsonl", "--name", "offline")).ExitCode);

        foreach (var (format, expected) in new[] { ("md", "# Evaluation: offline"), ("html", "<!DOCTYPE html>"), ("junit", "<testsuite"), ("json", "\"name\":\"offline\"") })
        {
            CliRun toStdout = await _tool.RunAsync(work.Path, "eval", "report", "runs/offline", "--format", format);
            CliRun toFile = await _tool.RunAsync(work.Path, "eval", "report", "runs/offline", "-f", format, "--out", "out/report." + format);

            Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
            Assert.Contains(expected, toStdout.Output, StringComparison.OrdinalIgnoreCase);
            Assert.True(toFile.ExitCode == 0, toFile.ToString());
            Assert.Equal(toStdout.Output, File.ReadAllText(work.File("out/report." + format)));
        }
    }

    [Fact]
    public async Task Report_rejects_an_unknown_format_as_bad_usage()
    {
        using var work = new WorkDirectory();

        CliRun run = await _tool.RunAsync(work.Path, "eval", "report", "runs/x", "--format", "pdf");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("pdf", run.ErrorLines[0], StringComparison.Ordinal);
    }

    internal static Dictionary<string, string?> ModelEnvironment(OpenAITestServer server) => new()
    {
        // Upper case, as CI systems often spell them: configuration keys ignore case.
        ["AIENG__CHAT__PROVIDER"] = "OpenAI",
        ["AIENG__CHAT__MODEL"] = "gpt-test",
        ["AiEng__Chat__Endpoint"] = server.BaseAddress.ToString(),
        ["AiEng__Chat__ApiKey"] = "test-key",
    };

    // Answers the first `correct` questions (in data-set order) with their reference, the others wrongly.
    private static Task<OpenAITestServer> StartAnsweringServerAsync(int correct)
    {
        string[] questions = ["What is two plus two?", "Capital of France?", "Colour of the sky?"];
        string[] answers = ["four", "Paris", "blue"];
        return OpenAITestServer.StartAsync(new()
        {
            ChatHandler = (request, _) =>
            {
                int index = Array.IndexOf(questions, request.LastUserMessage);
                return ValueTask.FromResult(new OpenAITestChatReply(index >= 0 && index < correct ? answers[index] : "I do not know"));
            },
        });
    }
}
