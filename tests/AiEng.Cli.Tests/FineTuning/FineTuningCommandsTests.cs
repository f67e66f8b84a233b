using System.Text;
using System.Text.Json;
using AiEng.Cli.Tests.TestSupport;
using AiEng.Testing;

namespace AiEng.Cli.Tests.FineTuning;

public class FineTuningCommandsTests : IClassFixture<ToolFixture>
{
    private readonly InstalledTool _tool;

    public FineTuningCommandsTests(ToolFixture fixture) => _tool = fixture.Tool;

    [Fact]
    public async Task Check_exits_0_for_valid_data_and_1_when_the_validator_finds_an_error()
    {
        using var work = new WorkDirectory();
        work.Write("train.jsonl", Examples(12));
        work.Write("small.jsonl", Examples(2));

        CliRun valid = await _tool.RunAsync(work.Path, "finetune", "check", "train.jsonl", "--json");
        CliRun invalid = await _tool.RunAsync(work.Path, "finetune", "check", "small.jsonl", "--json");

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.True(valid.Json().GetProperty("valid").GetBoolean());
        Assert.Equal(12, valid.Json().GetProperty("trainingExamples").GetInt32());
        Assert.True(invalid.ExitCode == 1, invalid.ToString());
        JsonElement issue = invalid.Json().GetProperty("issues").EnumerateArray().Single(i => i.GetProperty("severity").GetString() == "Error");
        Assert.Equal("min-examples", issue.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Check_of_a_malformed_line_is_bad_input_naming_the_file_line_and_field()
    {
        using var work = new WorkDirectory();
        string path = work.Write("train.jsonl", Examples(1) + "{\"mesages\": []}\n");

        CliRun run = await _tool.RunAsync(work.Path, "finetune", "check", "train.jsonl");

        Assert.True(run.ExitCode == 2, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(path + ":2:", line, StringComparison.Ordinal);
        Assert.Contains("'mesages'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_prices_training_from_the_configured_prices_and_rejects_zero_epochs()
    {
        using var work = new WorkDirectory();
        work.Write("train.jsonl", Examples(12));
        work.Write("prices.json", "{\"AiEng\": {\"Usage\": {\"Prices\": {\"base-model\": {\"InputPerMillion\": 1, \"OutputPerMillion\": 2, \"TrainingPerMillion\": 1000}, \"tuned\": {\"Model\": \"ft:base-model\", \"InputPerMillion\": 4, \"OutputPerMillion\": 8}}}}}");
        work.Write("split.json", "{\"AiEng\": {\"Usage\": {\"Prices\": {\"ft:base-model\": {\"InputPerMillion\": 4, \"OutputPerMillion\": 8}}}}}");

        CliRun run = await _tool.RunAsync(work.Path, "finetune", "estimate", "train.jsonl", "--model", "base-model", "--epochs", "2", "--config", "prices.json", "--json");
        CliRun zero = await _tool.RunAsync(work.Path, "finetune", "estimate", "train.jsonl", "--model", "base-model", "--epochs", "0");
        CliRun split = await _tool.RunAsync(work.Path, "finetune", "estimate", "train.jsonl", "--model", "base-model", "--config", "split.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        JsonElement json = run.Json();
        long billed = json.GetProperty("billedTrainingTokens").GetInt64();
        Assert.Equal(2 * json.GetProperty("trainingTokensPerEpoch").GetInt64(), billed);
        Assert.Equal(billed * 1000m / 1_000_000m, json.GetProperty("trainingCost").GetDecimal());
        // The fine-tuned model is priced by the entry whose Model names it (4 and 8 a million against the base's 1 and 2).
        decimal[] per1000 = [.. json.GetProperty("inference").EnumerateArray().Select(static row => row.GetProperty("costPer1000Requests").GetDecimal())];
        Assert.Equal(2, per1000.Length);
        Assert.True(per1000[0] > 0, run.ToString());
        Assert.Equal(4 * per1000[0], per1000[1]);

        // A key holding ':' is split by configuration: it fails, saying how to write it, instead of pricing the model at 0.
        Assert.True(split.ExitCode == 2, split.ToString());
        Assert.Contains("AiEng:Usage:Prices:ft:base-model is not a setting of ModelPrice", split.Error, StringComparison.Ordinal);
        Assert.True(zero.ExitCode == 2, zero.ToString());
        Assert.StartsWith("aieng: error: --epochs: 0", Assert.Single(zero.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_uploads_and_creates_a_job_that_status_reads_and_cancel_cancels_on_the_configured_endpoint()
    {
        using var work = new WorkDirectory();
        string training = Examples(12);
        work.Write("train.jsonl", training);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 1000) });
        var environment = new Dictionary<string, string?> { ["AiEng__FineTuning__OpenAI__Endpoint"] = server.BaseAddress.ToString() };

        CliRun submit = await _tool.RunAsync(work.Path, environment, "finetune", "submit", "train.jsonl", "--model", "gpt-4o-mini-2024-07-18", "--name", "tickets", "--json");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        string id = submit.Json().GetProperty("id").GetString()!;
        CliRun status = await _tool.RunAsync(work.Path, environment, "finetune", "status", id, "--json");
        CliRun cancel = await _tool.RunAsync(work.Path, environment, "finetune", "cancel", id, "--json");
        CliRun unknown = await _tool.RunAsync(work.Path, environment, "finetune", "status", "ftjob-nope");

        Assert.Equal("tickets.train.jsonl", Assert.Single(server.Files).FileName);
        Assert.Equal(12, server.Files[0].Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Ticket number 11 about case 77 needs help", server.Files[0].Text, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini-2024-07-18", submit.Json().GetProperty("baseModel").GetString());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(id, status.Json().GetProperty("id").GetString());
        Assert.Contains(status.Json().GetProperty("status").GetString(), new[] { "Queued", "ValidatingFiles", "Running" });
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal("Cancelled", cancel.Json().GetProperty("status").GetString());
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("ftjob-nope", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_with_wait_follows_the_job_to_its_model()
    {
        using var work = new WorkDirectory();
        work.Write("train.jsonl", Examples(12));
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 2) });
        var environment = new Dictionary<string, string?>
        {
            ["AiEng__FineTuning__OpenAI__Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng__FineTuning__Jobs__PollInterval"] = "00:00:00.010",
        };

        CliRun run = await _tool.RunAsync(work.Path, environment, "finetune", "submit", "train.jsonl", "--model", "gpt-4o-mini-2024-07-18", "--wait", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Succeeded", run.Json().GetProperty("status").GetString());
        Assert.StartsWith("ft:gpt-4o-mini-2024-07-18", run.Json().GetProperty("fineTunedModel").GetString(), StringComparison.Ordinal);
        Assert.Contains("finetune: created job", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_without_a_configured_key_for_openai_is_bad_input_saying_which_key_to_set()
    {
        using var work = new WorkDirectory();
        work.Write("train.jsonl", Examples(12));

        CliRun run = await _tool.RunAsync(work.Path, "finetune", "submit", "train.jsonl", "--model", "gpt-4o-mini-2024-07-18");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("AiEng__FineTuning__OpenAI__ApiKey", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    private static string Examples(int count)
    {
        string[] labels = ["billing", "account", "delivery", "other"];
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append("{\"messages\": [{\"role\": \"system\", \"content\": \"Classify the ticket.\"}, {\"role\": \"user\", \"content\": \"Ticket number ")
                .Append(i).Append(" about case ").Append(i * 7).Append(" needs help\"}, {\"role\": \"assistant\", \"content\": \"")
                .Append(labels[i % labels.Length]).Append("\"}]}\n");
        }

        return text.ToString();
    }
}
