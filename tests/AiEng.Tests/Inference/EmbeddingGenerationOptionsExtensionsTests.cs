using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference;

public sealed class EmbeddingGenerationOptionsExtensionsTests
{
    [Theory]
    [InlineData(EmbeddingInputKind.Query, "query")]
    [InlineData(EmbeddingInputKind.Document, "document")]
    public void Stores_the_kind_as_a_lower_case_string_under_the_documented_key(EmbeddingInputKind kind, string expected)
    {
        EmbeddingGenerationOptions options = ((EmbeddingGenerationOptions?)null).WithInputKind(kind);

        Assert.Equal("aieng.input_kind", EmbeddingGenerationOptionsExtensions.InputKindKey);
        Assert.Equal(expected, Assert.IsType<string>(options.AdditionalProperties![EmbeddingGenerationOptionsExtensions.InputKindKey]));
        Assert.Equal(kind, options.GetInputKind());
    }

    [Fact]
    public void Returns_a_copy_and_leaves_the_callers_options_and_properties_unchanged()
    {
        var original = new EmbeddingGenerationOptions { Dimensions = 8, ModelId = "m", AdditionalProperties = new() { ["other"] = 1 } };

        EmbeddingGenerationOptions query = original.WithInputKind(EmbeddingInputKind.Query);

        Assert.NotSame(original, query);
        Assert.Equal((8, "m", 1), (query.Dimensions, query.ModelId, query.AdditionalProperties!["other"]));
        Assert.Equal(EmbeddingInputKind.Query, query.GetInputKind());
        Assert.Equal(EmbeddingInputKind.Unspecified, original.GetInputKind());
        Assert.Equal(["other"], original.AdditionalProperties.Keys);
    }

    [Fact]
    public void Unspecified_removes_the_entry_from_the_copy_only()
    {
        EmbeddingGenerationOptions document = new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document);

        EmbeddingGenerationOptions unspecified = document.WithInputKind(EmbeddingInputKind.Unspecified);

        Assert.False(unspecified.AdditionalProperties?.ContainsKey(EmbeddingGenerationOptionsExtensions.InputKindKey) ?? false);
        Assert.Equal(EmbeddingInputKind.Unspecified, unspecified.GetInputKind());
        Assert.Equal(EmbeddingInputKind.Document, document.GetInputKind());
    }

    [Theory]
    [InlineData("QUERY", EmbeddingInputKind.Query)]
    [InlineData("Document", EmbeddingInputKind.Document)]
    [InlineData("passage", EmbeddingInputKind.Unspecified)]
    [InlineData("", EmbeddingInputKind.Unspecified)]
    public void Reads_the_string_in_any_case_and_anything_else_as_unspecified(string value, EmbeddingInputKind expected)
    {
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingGenerationOptionsExtensions.InputKindKey] = value } };

        Assert.Equal(expected, options.GetInputKind());
    }

    [Fact]
    public void Reads_an_enum_value_and_nothing_from_absent_options()
    {
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingGenerationOptionsExtensions.InputKindKey] = EmbeddingInputKind.Document } };

        Assert.Equal(EmbeddingInputKind.Document, options.GetInputKind());
        Assert.Equal(EmbeddingInputKind.Unspecified, ((EmbeddingGenerationOptions?)null).GetInputKind());
        Assert.Equal(EmbeddingInputKind.Unspecified, new EmbeddingGenerationOptions().GetInputKind());
    }

    [Fact]
    public void Rejects_an_undefined_kind()
    {
        Assert.Throws<ArgumentOutOfRangeException>("kind", () => new EmbeddingGenerationOptions().WithInputKind((EmbeddingInputKind)7));
    }
}
