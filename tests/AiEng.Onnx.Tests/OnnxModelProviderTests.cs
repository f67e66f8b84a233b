using AiEng.Inference;
using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Onnx.Tests;

public sealed class OnnxModelProviderTests
{
    private const string Path = "AiEng:Embeddings";
    private readonly OnnxModelProvider _provider = new();

    [Fact]
    public void Asks_for_one_request_at_a_time_and_accepts_the_limit_settings()
    {
        Assert.Equal(1, _provider.GetEmbeddingRequestLimits(new ModelOptions())?.MaxParallelRequests);

        var errors = new List<string>();
        var options = new ModelOptions { Provider = "Onnx" };
        options.Settings["MaxParallelRequests"] = "2";
        _provider.Validate(options, ModelKind.Embeddings, "AiEng:Embeddings", errors);
        Assert.Empty(errors);
    }

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
        Assert.Contains("ModelPath, VocabularyPath, IntraOpThreads, BatchSize, MaxSequenceLength, Pooling, Normalize, QueryPrefix, DocumentPrefix", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_pooling_normalization_and_prefixes_in_any_case()
    {
        Assert.Empty(Validate(Options(("Pooling", "cls"), ("Normalize", "False"), ("QueryPrefix", "Represent this sentence for searching relevant passages: "), ("DocumentPrefix", "passage: "))));
        Assert.Empty(Validate(Options(("pooling", "Mean"), ("normalize", "true"))));
    }

    [Theory]
    [InlineData("max")]
    [InlineData("1")]
    public void Rejects_an_unknown_pooling_mode_naming_the_key_and_the_modes(string value)
    {
        var error = Assert.Single(Validate(Options(("Pooling", value))));

        Assert.Equal(
            $"AiEng:Embeddings:Settings:Pooling: '{value}' is not a pooling mode; use Mean (all-MiniLM-L6-v2, e5) or Cls (bge), as the model's 1_Pooling/config.json says, for example AiEng:Embeddings:Settings:Pooling=Cls.",
            error);
    }

    [Fact]
    public void Rejects_a_normalization_that_is_not_true_or_false_naming_the_key()
    {
        var error = Assert.Single(Validate(Options(("Normalize", "yes"))));

        Assert.Equal("AiEng:Embeddings:Settings:Normalize: 'yes' is not true or false; for example true.", error);
    }

    [Fact]
    public void Rejects_a_prefix_that_leaves_no_room_for_text_at_start_up_naming_the_key()
    {
        var error = Assert.Single(Validate(Options(("MaxSequenceLength", "4"), ("DocumentPrefix", "passage: "), ("QueryPrefix", "q"))));

        Assert.Equal(
            "AiEng:Embeddings:Settings:DocumentPrefix: the prefix has 2 word pieces, which leaves no room for text within AiEng:Embeddings:Settings:MaxSequenceLength (4 tokens including [CLS] and [SEP]); shorten it, for example to 'query: '.",
            error);
    }

    [Fact]
    public async Task Creates_a_generator_with_the_configured_pooling_normalization_and_prefixes()
    {
        const string Text = "The cat sits on the mat.";
        using var serviceProvider = new ServiceCollection().AddLogging().BuildServiceProvider();
        using var generator = _provider.CreateEmbeddingGenerator(
            Options(("IntraOpThreads", "1"), ("Pooling", "Cls"), ("Normalize", "false"), ("QueryPrefix", "query: "), ("DocumentPrefix", "passage: ")), serviceProvider);

        float[] query = (await generator.GenerateAsync([Text], new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Query)))[0].Vector.ToArray();
        float[] written = (await generator.GenerateAsync(["query: " + Text]))[0].Vector.ToArray();

        // The [CLS] token's embedding of the prefixed text, as the model gives it: CLS pooling, not normalized.
        var model = Assert.IsType<OnnxEmbeddingGenerator>(generator).Model;
        var buffers = model.CreateBuffers(1);
        int sequenceLength = model.Fill([model.Encode("query: " + Text)], buffers);
        using (var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions())
        {
            model.Run(buffers, 1, sequenceLength, runOptions);
        }

        Assert.Equal(model.Dimensions, query.Length);
        Assert.All(query, (value, i) => Assert.Equal(buffers.Hidden[i], value, 1e-5f));
        Assert.Equal(written, query);
        var window = generator.GetService<AiEng.Tokens.EmbeddingTokenWindow>()!;
        Assert.Equal((2, 2), (window.QueryPrefixTokens, window.DocumentPrefixTokens));
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
