using System.Text.Json;
using AiEng.FineTuning;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning.Jsonl;

public sealed class FineTuningJsonlTests
{
    private const string ToolExample =
        """{"messages":[{"role":"system","content":"You are a weather bot."},{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\",\"days\":2}"}}],"weight":0},{"role":"tool","tool_call_id":"call_1","content":"{\"temp\":3}"},{"role":"assistant","content":"It is 3 °C in Oslo.","weight":1}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Gets the weather.","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}}}]}""";

    private const string Preference =
        """{"input":{"messages":[{"role":"user","content":"Say hi politely."}]},"preferred_output":[{"role":"assistant","content":"Hello, nice to meet you."}],"non_preferred_output":[{"role":"assistant","content":"yo"}]}""";

    [Fact]
    public async Task Reads_tool_calls_results_weights_and_tools_into_chat_messages()
    {
        IReadOnlyList<FineTuningExample> examples = await FineTuningJsonl.ParseExamplesAsync(new StringReader(ToolExample + "\n\n"), "train.jsonl");

        FineTuningExample example = Assert.Single(examples);
        Assert.Equal("train.jsonl:1", example.Id);
        Assert.Equal(5, example.Messages.Count);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(example.Messages[2].Contents));
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Oslo", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(0, FineTuningExample.GetWeight(example.Messages[2]));
        Assert.False(FineTuningExample.IsTrained(example.Messages[2]));
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(Assert.Single(example.Messages[3].Contents));
        Assert.Equal(("call_1", "{\"temp\":3}"), (result.CallId, (string)result.Result!));
        Assert.True(FineTuningExample.IsTrained(example.Messages[4]));
        AIFunctionDeclaration tool = Assert.Single(example.Tools);
        Assert.Equal(("get_weather", "Gets the weather."), (tool.Name, tool.Description));
        Assert.Equal("object", tool.JsonSchema.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Writing_what_was_read_gives_the_same_json_back()
    {
        IReadOnlyList<FineTuningExample> examples = await FineTuningJsonl.ParseExamplesAsync(new StringReader(ToolExample), "a.jsonl");
        var written = new StringWriter();
        await FineTuningJsonl.SerializeExamplesAsync(written, examples);

        Assert.EndsWith("\n", written.ToString(), StringComparison.Ordinal);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(ToolExample).RootElement, JsonDocument.Parse(written.ToString()).RootElement), written.ToString());
    }

    [Fact]
    public async Task Preference_examples_round_trip_through_a_file()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("prefs.jsonl", Preference + "\n");
        IReadOnlyList<PreferenceExample> read = await FineTuningJsonl.ReadPreferencesAsync(path);
        PreferenceExample example = Assert.Single(read);
        Assert.Equal(("Hello, nice to meet you.", "yo"), (example.Preferred.Text, example.NonPreferred.Text));
        Assert.Equal("prefs.jsonl:1", example.Id);

        string copy = directory.Combine("copy.jsonl");
        await FineTuningJsonl.WritePreferencesAsync(copy, read);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(Preference).RootElement, JsonDocument.Parse(File.ReadAllText(copy)).RootElement));
        Assert.False(File.Exists(copy + ".tmp"));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"},{"role":"robot","content":"x"}]}""", "messages[1].role", "unknown role 'robot'")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}""", "messages[0].tool_calls[0].function.arguments", "not valid JSON")]
    [InlineData("""{"messages":[{"role":"assistant","content":"a","weight":2}]}""", "messages[0].weight", "expected 0 or 1")]
    [InlineData("""{"messages":[{"role":"tool","content":"a"}]}""", "messages[0].tool_call_id", "missing")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "messages[0].content", "expected a string or an array")]
    [InlineData("""{"messages":[],"extra":1}""", "extra", "unknown field")]
    [InlineData("""{"prompt":"x"}""", "prompt", "unknown field")]
    public async Task A_bad_field_is_an_error_naming_the_file_line_and_field(string line, string field, string problem)
    {
        string text = ToolExample + "\n" + line + "\n";
        var ex = await Assert.ThrowsAsync<FineTuningDataException>(() => FineTuningJsonl.ParseExamplesAsync(new StringReader(text), "data/train.jsonl"));

        Assert.Equal(("data/train.jsonl", 2, field), (ex.FilePath, ex.LineNumber, ex.Field));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"data/train.jsonl:2: {field}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_names_the_line_and_keeps_the_parser_error_as_the_cause()
    {
        var ex = await Assert.ThrowsAsync<FineTuningDataException>(() => FineTuningJsonl.ParseExamplesAsync(new StringReader("{\"messages\": ["), "x.jsonl"));
        Assert.Equal(1, ex.LineNumber);
        Assert.Null(ex.Field);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task Stops_at_the_first_error_unless_asked_to_collect_them_all()
    {
        string text = "nope\n" + ToolExample + "\n{\"messages\":5}\n";
        var first = await Assert.ThrowsAsync<FineTuningDataException>(() => FineTuningJsonl.ParseExamplesAsync(new StringReader(text), "t.jsonl"));
        Assert.Single(first.Errors);

        var all = await Assert.ThrowsAsync<FineTuningDataException>(() =>
            FineTuningJsonl.ParseExamplesAsync(new StringReader(text), "t.jsonl", new FineTuningJsonlOptions { CollectAllErrors = true }));
        Assert.Equal([1, 3], all.Errors.Select(e => e.LineNumber));
        Assert.Equal("messages", all.Errors[1].Field);
        Assert.Contains("2 problems", all.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_an_error_and_is_not_parsed()
    {
        string text = ToolExample + "\n" + ToolExample + "\n";
        var ex = await Assert.ThrowsAsync<FineTuningDataException>(() =>
            FineTuningJsonl.ParseExamplesAsync(new StringReader(text), "t.jsonl", new FineTuningJsonlOptions { MaxLineChars = 100 }));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains("MaxLineChars", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_content_parts_are_joined_and_other_parts_are_rejected()
    {
        const string Parts = """{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},{"role":"assistant","content":"c"}]}""";
        FineTuningExample example = Assert.Single(await FineTuningJsonl.ParseExamplesAsync(new StringReader(Parts), "p"));
        Assert.Equal("ab", example.Messages[0].Text);

        const string Image = """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""";
        var ex = await Assert.ThrowsAsync<FineTuningDataException>(() => FineTuningJsonl.ParseExamplesAsync(new StringReader(Image), "p"));
        Assert.Equal("messages[0].content[0].type", ex.Field);
    }

    [Fact]
    public async Task Examples_built_in_code_are_written_in_the_openai_format()
    {
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["id"] = 7 })]);
        var example = new FineTuningExample([new ChatMessage(ChatRole.User, "find 7"), call, new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "found")]), new ChatMessage(ChatRole.Assistant, "Found it.")]);
        var written = new StringWriter();
        await FineTuningJsonl.SerializeExamplesAsync(written, [example]);

        JsonElement root = JsonDocument.Parse(written.ToString()).RootElement;
        JsonElement calls = root.GetProperty("messages")[1].GetProperty("tool_calls");
        Assert.Equal("{\"id\":7}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.False(root.GetProperty("messages")[1].TryGetProperty("content", out _));
        Assert.Equal("c1", root.GetProperty("messages")[2].GetProperty("tool_call_id").GetString());
        Assert.False(root.TryGetProperty("tools", out _));
    }

    [Fact]
    public void Weights_are_zero_or_one()
    {
        var message = new ChatMessage(ChatRole.Assistant, "a");
        Assert.Throws<ArgumentOutOfRangeException>(() => FineTuningExample.SetWeight(message, 2));
        FineTuningExample.SetWeight(message, 0);
        Assert.Equal(0, FineTuningExample.GetWeight(message));
        FineTuningExample.SetWeight(message, null);
        Assert.Null(FineTuningExample.GetWeight(message));
        Assert.True(FineTuningExample.IsTrained(message));
    }

    [Fact]
    public async Task Writing_a_data_set_writes_its_provenance_beside_the_jsonl()
    {
        using var directory = new TempDirectory();
        var provenance = new FineTuningProvenance
        {
            Source = "distillation",
            Prompt = new AiEng.Prompts.PromptId("classify", "3", "abc123"),
            TeacherModel = "gpt-4o",
            InputTokens = 1200,
            OutputTokens = 300,
            Cost = 0.0125m,
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Properties = new Dictionary<string, string> { ["rejected"] = "2" },
        };
        var set = new FineTuningDataSet([TrainingData.Chat("Printer jams", "hardware"), TrainingData.Chat("Refund please", "billing")], provenance);
        string path = directory.Combine("tickets.jsonl");

        await FineTuningJsonl.WriteDataSetAsync(path, set);

        Assert.Equal(2, (await FineTuningJsonl.ReadExamplesAsync(path)).Count);
        Assert.Equal(directory.Combine("tickets.provenance.json"), FineTuningJsonl.ProvenancePath(path));
        using var written = JsonDocument.Parse(File.ReadAllText(FineTuningJsonl.ProvenancePath(path)));
        var root = written.RootElement;
        Assert.Equal("tickets.jsonl", root.GetProperty("file").GetString());
        Assert.Equal(2, root.GetProperty("examples").GetInt32());
        Assert.Equal("distillation", root.GetProperty("source").GetString());
        Assert.Equal("classify", root.GetProperty("prompt").GetProperty("name").GetString());
        Assert.Equal("3", root.GetProperty("prompt").GetProperty("version").GetString());
        Assert.Equal("abc123", root.GetProperty("prompt").GetProperty("content_hash").GetString());
        Assert.Equal("gpt-4o", root.GetProperty("teacher_model").GetString());
        Assert.Equal(1200, root.GetProperty("input_tokens").GetInt64());
        Assert.Equal(300, root.GetProperty("output_tokens").GetInt64());
        Assert.Equal(0.0125m, root.GetProperty("cost").GetDecimal());
        Assert.Equal(provenance.CreatedAt, root.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal("2", root.GetProperty("properties").GetProperty("rejected").GetString());
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }
}
