using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Examples;

public class ExampleSetTests
{
    [Fact]
    public void Reads_input_output_id_and_metadata_from_json_lines()
    {
        const string jsonl = "{\"input\":\"a\",\"output\":\"b\",\"id\":\"x1\",\"label\":\"billing\"}\n\n{\"input\":\"c\",\"output\":\"d\"}\n";

        ExampleSet set = ExampleSet.ReadJsonl(new StringReader(jsonl), "ex.jsonl");

        Assert.Equal(2, set.Examples.Count);
        Assert.Equal(("a", "b", "x1"), (set.Examples[0].Input, set.Examples[0].Output, set.Examples[0].Id));
        Assert.Equal("billing", set.Examples[0].Metadata!["label"]!.ToString());
        Assert.Equal("3", set.Examples[1].Id);
    }

    [Fact]
    public void A_malformed_line_is_named_with_its_number()
    {
        const string jsonl = "{\"input\":\"a\",\"output\":\"b\"}\n{\"input\": \"a\", \"output\" 1}\n";

        PromptException error = Assert.Throws<PromptException>(() => ExampleSet.ReadJsonl(new StringReader(jsonl), "ex.jsonl"));

        Assert.Equal(("ex.jsonl", 2), (error.File, error.Line));
        Assert.StartsWith("ex.jsonl:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_without_output_is_named_with_its_number()
    {
        PromptException error = Assert.Throws<PromptException>(() => ExampleSet.ReadJsonl(new StringReader("{\"input\":\"a\"}"), "ex.jsonl"));

        Assert.Equal(1, error.Line);
        Assert.Contains("'output'", error.Message, StringComparison.Ordinal);
    }
}
