namespace AiEng.Onnx.Tests;

public sealed class OnnxEmbeddingGeneratorOptionsTests
{
    [Fact]
    public void Defaults_to_the_embedded_model_with_256_tokens_and_all_processors()
    {
        var options = new OnnxEmbeddingGeneratorOptions();

        Assert.Null(options.ModelPath);
        Assert.Null(options.VocabularyPath);
        Assert.Null(options.ModelId);
        Assert.Equal(256, options.MaxSequenceLength);
        Assert.Equal(OnnxEmbeddingGeneratorOptions.DefaultBatchSize, options.BatchSize);
        Assert.Null(options.IntraOpThreads);
        Assert.Empty(options.GetErrors());
    }

    [Theory]
    [InlineData(2, "MaxSequenceLength is 2 but must be between 3 and 512")]
    [InlineData(513, "MaxSequenceLength is 513 but must be between 3 and 512")]
    public void Limits_the_sequence_length_of_the_embedded_model_to_its_512_positions(int length, string expected)
    {
        var error = Assert.Single(new OnnxEmbeddingGeneratorOptions { MaxSequenceLength = length }.GetErrors());

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_each_invalid_property_with_an_example()
    {
        var errors = new OnnxEmbeddingGeneratorOptions { ModelPath = "model.onnx", BatchSize = 0, IntraOpThreads = 0, ModelId = " " }.GetErrors();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("ModelPath and VocabularyPath must be set together", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("BatchSize is 0", StringComparison.Ordinal) && e.Contains("for example 8", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("IntraOpThreads is 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ModelId must be null or a non-empty name", StringComparison.Ordinal));
    }
}
