using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Files;

public class PromptFileTests
{
    private const string Classify = """
        ---
        name: classify-ticket
        description: Classifies a support ticket
        version: 1.2.0
        model:
          configuration:
            name: gpt-4o-mini
          parameters:
            temperature: 0.2
            max_tokens: 200
            response_format: json_object
        inputs:
          ticket:
            type: string
            required: true
          examples:
            type: array
            default: []
            priority: 1
        sample:
          ticket: My invoice is wrong
        ---
        system:
        Classify the ticket.
        user:
        {{ ticket }}
        """;

    [Fact]
    public void Parses_name_version_model_parameters_inputs_and_sample()
    {
        PromptFile file = PromptFile.Parse(Classify, "prompts/classify.prompty");

        Assert.Equal("classify-ticket", file.Name);
        Assert.Equal("1.2.0", file.Version);
        Assert.Equal("gpt-4o-mini", file.Model.ModelId);
        Assert.Equal(0.2f, file.Model.Temperature);
        Assert.Equal(200, file.Model.MaxOutputTokens);
        Assert.Equal("json_object", file.Model.ResponseFormat);
        Assert.Collection(
            file.Inputs,
            ticket => Assert.True(ticket is { Name: "ticket", Type: PromptInputType.String, Required: true, Priority: null, Line: 13 }),
            examples => Assert.True(examples is { Name: "examples", Type: PromptInputType.Array, HasDefault: true, Priority: 1 }));
        Assert.Equal("My invoice is wrong", file.Sample["ticket"]);
        Assert.Equal(23, file.BodyLine);
        Assert.StartsWith("system:", file.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Takes_the_file_name_as_the_name_when_the_front_matter_has_none()
    {
        PromptFile file = PromptFile.Parse("user:\nHi", "dir/greet.prompty");

        Assert.Equal("greet", file.Name);
        Assert.Equal("0", file.Version);
        Assert.Equal(1, file.BodyLine);
    }

    [Fact]
    public void Reports_a_yaml_syntax_error_with_file_line_and_column()
    {
        string text = "---\nname: x\ninputs:\n  a: 1\n b: 2\n---\nuser:\nhi";

        PromptException error = Assert.Throws<PromptException>(() => PromptFile.Parse(text, "bad.prompty"));

        Assert.Equal("bad.prompty", error.File);
        Assert.Equal(5, error.Line);
        Assert.True(error.Column > 0);
        Assert.StartsWith("bad.prompty:5:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_an_unknown_model_parameter_at_its_line()
    {
        string text = "---\nmodel:\n  parameters:\n    temprature: 0.5\n---\nuser:\nhi";

        PromptException error = Assert.Throws<PromptException>(() => PromptFile.Parse(text, "p.prompty"));

        Assert.Equal(4, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("temprature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_an_input_default_of_the_wrong_type()
    {
        string text = "---\ninputs:\n  n:\n    type: integer\n    default: many\n---\nuser:\n{{ n }}";

        PromptException error = Assert.Throws<PromptException>(() => PromptFile.Parse(text, "p.prompty"));

        Assert.Contains("'n'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Reports_a_yaml_node_the_representation_model_cannot_hold_as_a_prompt_error_with_its_line()
    {
        // Found by fuzzing (tests/AiEng.Fuzz/regressions/prompt/yaml-node-of-unsupported-type.prompty): YamlDotNet threw
        // ArgumentException "The current event is of an unsupported type", which escaped PromptFile.Parse.
        string text = "---\nnam@:Nwer\f:\n  :\n    \n---\n";

        PromptException error = Assert.Throws<PromptException>(() => PromptFile.Parse(text, "fuzz.prompty"));

        Assert.Equal("fuzz.prompty", error.File);
        Assert.InRange(error.Line, 2, 5); // the front matter, up to its closing line, where the reader stopped
        Assert.True(error.Column > 0);
        Assert.Contains("Invalid YAML front matter", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(error.InnerException);
    }

    [Fact]
    public void Reports_an_unclosed_front_matter()
    {
        PromptException error = Assert.Throws<PromptException>(() => PromptFile.Parse("---\nname: x\nuser:\nhi", "p.prompty"));

        Assert.Equal(1, error.Line);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_content_hash_ignores_line_endings_and_changes_with_the_text()
    {
        string a = PromptFile.Parse(Classify).ContentHash;
        string crlf = PromptFile.Parse(Classify.Replace("\n", "\r\n", StringComparison.Ordinal)).ContentHash;
        string changed = PromptFile.Parse(Classify.Replace("Classify the ticket.", "Classify the ticket!", StringComparison.Ordinal)).ContentHash;

        Assert.Matches("^sha256:[0-9a-f]{64}$", a);
        Assert.Equal(a, crlf);
        Assert.NotEqual(a, changed);
    }

    [Fact]
    public void Reads_a_json_schema_response_format()
    {
        string text = """
            ---
            model:
              parameters:
                response_format:
                  type: json_schema
                  json_schema:
                    name: ticket
                    schema:
                      type: object
                      properties:
                        category: { type: string }
                      required: [category]
            ---
            user:
            hi
            """;

        PromptFile file = PromptFile.Parse(text);

        Assert.Equal("json_schema", file.Model.ResponseFormat);
        Assert.Equal("ticket", file.Model.ResponseSchemaName);
        Assert.Equal("category", file.Model.ResponseSchema!.Value.GetProperty("required")[0].GetString());
    }
}
