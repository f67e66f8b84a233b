using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Onnx.Tests;

public sealed class OnnxModelProviderTests
{
    private const string Path = "AiEng:Embeddings";
    private readonly OnnxModelProvider _provider = new();

    [Fact]
    public void Is_named_Onnx_and_serves_embeddings_only()
    {
        Assert.Equal("Onnx", _provider.Name);
        Assert.True(_provider.Supports(ModelKind.Embeddings));
        Assert.False(_provider.Supports(ModelKind.Chat));
        Assert.Throws<NotSupportedException>(() => _provider.CreateChatClient(new ModelOptions(), new ServiceCollection().BuildServiceProvider()));
    }

    [Fact]
    public void Accepts_no_settings_for_the_embedded_model()
    {
        Assert.Empty(Validate(new ModelOptions { Provider = "Onnx" }));
        Assert.Empty(Validate(new ModelOptions { Provider = "Onnx", Model = "all-minilm-l6-v2" }));
    }

    [Fact]
    public void Accepts_existing_custom_model_files_and_numeric_settings()
    {
        string model = System.IO.Path.GetTempFileName();
        string vocabulary = System.IO.Path.GetTempFileName();
        try
        {
            var errors = Validate(Options(("ModelPath", model), ("VocabularyPath", vocabulary), ("IntraOpThreads", "2"), ("BatchSize", "8"), ("MaxSequenceLength", "512")));

            Assert.Empty(errors);
        }
        finally
        {
            File.Delete(model);
            File.Delete(vocabulary);
        }
    }

    [Fact]
    public void Names_the_key_and_the_path_of_a_missing_model_file()
    {
        string missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "missing-model", "model.onnx");

        var errors = Validate(Options(("ModelPath", missing), ("VocabularyPath", missing + ".txt")));

        Assert.Contains(errors, e => e.StartsWith("AiEng:Embeddings:Settings:ModelPath:", StringComparison.Ordinal) && e.Contains(missing, StringComparison.Ordinal) && e.Contains("for example", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Embeddings:Settings:VocabularyPath:", StringComparison.Ordinal));
    }

    [Fact]
    public void Requires_the_vocabulary_with_a_custom_model()
    {
        string model = System.IO.Path.GetTempFileName();
        try
        {
            var error = Assert.Single(Validate(Options(("ModelPath", model))));

            Assert.StartsWith("AiEng:Embeddings:Settings:VocabularyPath: is missing", error, StringComparison.Ordinal);
            Assert.Contains("vocab.txt", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Theory]
    [InlineData("IntraOpThreads", "0")]
    [InlineData("BatchSize", "many")]
    [InlineData("BatchSize", "100000")]
    [InlineData("MaxSequenceLength", "1024")]
    public void Rejects_an_invalid_number_naming_the_key_and_giving_an_example(string key, string value)
    {
        var error = Assert.Single(Validate(Options((key, value))));

        Assert.StartsWith($"AiEng:Embeddings:Settings:{key}: '{value}' is not a whole number between", error, StringComparison.Ordinal);
        Assert.Contains("for example", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unknown_setting_listing_the_known_ones()
    {
        var error = Assert.Single(Validate(Options(("ModelPth", "/x/model.onnx"))));

        Assert.StartsWith("AiEng:Embeddings:Settings:ModelPth: unknown setting", error, StringComparison.Ordinal);
        Assert.Contains("ModelPath, VocabularyPath, IntraOpThreads, BatchSize, MaxSequenceLength", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_model_id_that_is_not_shipped_without_a_model_path()
    {
        var error = Assert.Single(Validate(new ModelOptions { Provider = "Onnx", Model = "text-embedding-3-small" }));

        Assert.StartsWith("AiEng:Embeddings:Model: 'text-embedding-3-small' is not shipped", error, StringComparison.Ordinal);
        Assert.Contains("ModelPath", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_chat_use()
    {
        var errors = new List<string>();
        _provider.Validate(new ModelOptions { Provider = "Onnx" }, ModelKind.Chat, "AiEng:Chat", errors);

        Assert.StartsWith("AiEng:Chat:Provider: 'Onnx' serves embedding models only", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Creates_a_generator_from_settings_through_dependency_injection()
    {
        var services = new ServiceCollection().AddLogging();
        new AiEngBuilder(services).AddOnnx();
        using var serviceProvider = services.BuildServiceProvider();
        var provider = Assert.Single(serviceProvider.GetServices<ModelProvider>());

        using var generator = provider.CreateEmbeddingGenerator(Options(("IntraOpThreads", "1"), ("BatchSize", "2")), serviceProvider);

        var onnx = Assert.IsType<OnnxEmbeddingGenerator>(generator);
        Assert.Equal(2, onnx.BatchSize);
        Assert.Equal(MiniLmModel.ModelId, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    private static ModelOptions Options(params (string Key, string Value)[] settings)
    {
        var options = new ModelOptions { Provider = "Onnx" };
        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }

        return options;
    }

    private List<string> Validate(ModelOptions options)
    {
        var errors = new List<string>();
        _provider.Validate(options, ModelKind.Embeddings, Path, errors);
        return errors;
    }
}
