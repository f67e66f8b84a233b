using System.Text;
using AiEng.Cli.Tests.TestSupport;
using AiEng.Testing;

namespace AiEng.Cli.Tests.Security;

/// <summary>
/// The secrets audit of the tool: with a canary API key configured (environment variables) for the chat model and for
/// fine-tuning, against AiEng.Testing's server, which accepts only that key, the tool's commands that call a model run
/// with <c>--json</c>, succeeding and failing; their standard output and error and every file they wrote are then searched
/// for the canary, which must appear nowhere.
/// </summary>
public class CliSecretsAuditTests : IClassFixture<ToolFixture>
{
    private static readonly string Canary = "sk-canary-" + Guid.NewGuid().ToString("N");

    private readonly InstalledTool _tool;

    public CliSecretsAuditTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task The_canary_key_appears_in_no_json_output_error_or_written_file()
    {
        using var work = new WorkDirectory();
        work.Write("questions.jsonl", "{\"id\": \"q1\", \"input\": \"Which status codes are retried?\", \"reference\": \"429\"}\n");
        work.Write(Path.Combine("docs", "retries.md"), "# Retries\n\nAiEng retries 429 and 503 responses with exponential backoff.\n");
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new() { ApiKey = Canary });
        var environment = new Dictionary<string, string?>
        {
            ["AiEng__Chat__Provider"] = "OpenAI",
            ["AiEng__Chat__Model"] = "gpt-4o-mini",
            ["AiEng__Chat__Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng__Chat__ApiKey"] = Canary,
            ["AiEng__FineTuning__OpenAI__Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng__FineTuning__OpenAI__ApiKey"] = Canary,
        };

        CliRun[] runs =
        [
            await _tool.RunAsync(work.Path, environment, "eval", "run", "questions.jsonl", "--name", "audit", "--json"),
            await _tool.RunAsync(work.Path, environment, "ingest", "docs", "--store", "sqlite:index.db", "--json"),
            await _tool.RunAsync(work.Path, environment, "ask", "Which status codes are retried?", "--store", "sqlite:index.db", "--json"),

            // Failing calls with the key configured: an unknown job (404), and a chat model the server does not serve (404).
            await _tool.RunAsync(work.Path, environment, "finetune", "status", "ftjob-unknown", "--json"),
            await _tool.RunAsync(work.Path, new Dictionary<string, string?>(environment) { ["AiEng__Chat__Endpoint"] = server.BaseAddress + "missing/" }, "ask", "Which status codes are retried?", "--store", "sqlite:index.db", "--json"),
        ];

        Assert.True(runs[0].ExitCode == 0, runs[0].ToString());
        Assert.True(runs[2].ExitCode == 0, runs[2].ToString());
        Assert.NotEqual(0, runs[3].ExitCode);
        Assert.NotEqual(0, runs[4].ExitCode);
        Assert.Contains(server.Requests, r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        Assert.All(runs, run =>
        {
            Assert.DoesNotContain(Canary, run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Canary, run.Error, StringComparison.Ordinal);
        });
        byte[] canary = Encoding.UTF8.GetBytes(Canary);
        string[] written = Directory.EnumerateFiles(work.Path, "*", SearchOption.AllDirectories).ToArray();
        Assert.Contains(written, f => f.EndsWith("report.json", StringComparison.Ordinal));
        Assert.All(written, file => Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(canary) < 0, $"{file} holds the canary key."));
    }
}
