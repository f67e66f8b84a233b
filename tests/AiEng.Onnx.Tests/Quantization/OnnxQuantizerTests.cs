using System.Numerics.Tensors;
using AiEng.Inference;
using AiEng.Onnx.Quantization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Onnx;

namespace AiEng.Onnx.Tests.Quantization;

public sealed class OnnxQuantizerTests : IClassFixture<QuantizedMiniLmFixture>, IDisposable
{
    // Columns of very different ranges, so per-column scales differ; the last column is all zero. No value falls on a
    // rounding midpoint, so the expected integers do not depend on float rounding of the scale.
    private static readonly float[,] Weight =
    {
        { 0.5f, -2.0f, 0.01f, 0f },
        { 0.2f, 0.9f, -0.02f, 0f },
        { -0.1f, 0.3f, 0.03f, 0f },
    };

    private static readonly float[] Input = [1f, 2f, 3f, -1f, 0.5f, 2f];

    private readonly QuantizedMiniLmFixture _fixture;
    private readonly string _folder = Directory.CreateTempSubdirectory("aieng-quant-test-").FullName;

    public OnnxQuantizerTests(QuantizedMiniLmFixture fixture) => _fixture = fixture;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Quantizes_a_weight_per_output_column_symmetrically_and_keeps_the_product_close()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);
        string output = Path.Combine(_folder, "int8.onnx");

        var result = await OnnxQuantizer.QuantizeDynamicInt8Async(input, output);

        var model = TinyOnnxModels.Read(output);
        var graph = model.Graph;
        Assert.Equal(["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul"], graph.Node.Select(n => n.OpType));
        Assert.StartsWith("dynamic int8: 1 MatMul weights, per output column", Assert.Single(model.MetadataProps, p => p.Key == "aieng.quantization").Value, StringComparison.Ordinal);
        Assert.DoesNotContain(graph.Initializer, t => t.Name == "W");
        var values = TinyOnnxModels.ReadInt8(Assert.Single(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 2));
        Assert.Equal([127, -127, 42, 0, 51, 57, -85, 0, -25, 19, 127, 0], values.Select(v => (int)v));
        var scale = Assert.Single(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Equal([4], scale.Dims);
        float[] scales = TinyOnnxModels.ReadFloats(scale);
        float[] expected = [0.5f / 127, 2f / 127, 0.03f / 127, 1f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scales[i], 1e-9f);
        }

        var zeroPoint = Assert.Single(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 1);
        Assert.All(TinyOnnxModels.ReadInt8(zeroPoint), v => Assert.Equal(0, v));

        float[] exact = Multiply(Input, Weight);
        float[] quantized = TinyOnnxModels.Run(output, ("X", Input, [2, 3]));
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.Equal(exact[i], quantized[i], 0.03f);
        }

        Assert.Equal(["MatMul_W"], result.QuantizedNodes);
        Assert.Empty(result.SkippedNodes);
        Assert.Equal(Path.GetFullPath(output), result.ModelPath);
        Assert.Null(result.VocabularyPath);
        Assert.Equal(new FileInfo(input).Length, result.InputBytes);
        Assert.Equal(new FileInfo(output).Length, result.OutputBytes);
    }

    [Fact]
    public async Task Per_channel_scales_keep_a_column_of_small_weights_accurate_where_one_scale_per_tensor_does_not()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);
        string perChannel = Path.Combine(_folder, "per-channel.onnx");
        string perTensor = Path.Combine(_folder, "per-tensor.onnx");

        await OnnxQuantizer.QuantizeDynamicInt8Async(input, perChannel);
        await OnnxQuantizer.QuantizeDynamicInt8Async(input, perTensor, new OnnxQuantizationOptions { PerChannel = false });

        var scale = Assert.Single(TinyOnnxModels.Read(perTensor).Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Empty(scale.Dims);
        Assert.Equal(2f / 127, Assert.Single(TinyOnnxModels.ReadFloats(scale)), 1e-9f);

        // Column 2 (weights of 0.01 to 0.03): with one scale of 2/127 its weights become 1, -1 and 2 steps.
        float exact = Multiply(Input, Weight)[2];
        float channelError = Math.Abs(TinyOnnxModels.Run(perChannel, ("X", Input, [2, 3]))[2] - exact);
        float tensorError = Math.Abs(TinyOnnxModels.Run(perTensor, ("X", Input, [2, 3]))[2] - exact);
        Assert.True(channelError < 0.002f, $"per-channel error {channelError}");
        Assert.True(tensorError > 5 * channelError, $"per-tensor error {tensorError}, per-channel error {channelError}");
    }

    [Fact]
    public async Task A_reduced_range_uses_seven_bits()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);
        string output = Path.Combine(_folder, "int7.onnx");

        await OnnxQuantizer.QuantizeDynamicInt8Async(input, output, new OnnxQuantizationOptions { ReduceRange = true });

        var graph = TinyOnnxModels.Read(output).Graph;
        var values = TinyOnnxModels.ReadInt8(Assert.Single(graph.Initializer, t => t.Dims.Count == 2));
        Assert.Equal(64, values.Max(v => Math.Abs((int)v)));
        Assert.Equal(0.5f / 64, TinyOnnxModels.ReadFloats(Assert.Single(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float))[0], 1e-9f);
    }

    [Fact]
    public async Task Leaves_a_product_of_two_activations_in_float_and_says_why()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight, withActivationProduct: true), _folder);
        string output = Path.Combine(_folder, "int8.onnx");

        var result = await OnnxQuantizer.QuantizeDynamicInt8Async(input, output);

        Assert.Equal(["MatMul_W"], result.QuantizedNodes);
        var skipped = Assert.Single(result.SkippedNodes);
        Assert.Equal("MatMul_Activations", skipped.NodeName);
        Assert.StartsWith("input B ('Z') is not a constant: it is computed at run time", skipped.Reason, StringComparison.Ordinal);
        var matMul = Assert.Single(TinyOnnxModels.Read(output).Graph.Node, n => n.OpType == "MatMul");
        Assert.Equal(["Y", "Z"], matMul.Input);

        float[] z = [1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f];
        float[] exact = TinyOnnxModels.Run(input, ("X", Input, [2, 3]), ("Z", z, [4, 2]));
        float[] quantized = TinyOnnxModels.Run(output, ("X", Input, [2, 3]), ("Z", z, [4, 2]));
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.Equal(exact[i], quantized[i], 0.05f);
        }
    }

    [Fact]
    public async Task Skips_small_weights_and_excluded_nodes_and_rejects_an_unknown_node_name()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight, withActivationProduct: true), _folder);
        string output = Path.Combine(_folder, "int8.onnx");

        var small = await Assert.ThrowsAsync<InvalidDataException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, output, new OnnxQuantizationOptions { MinimumWeightElements = 13 }));
        var excluded = await Assert.ThrowsAsync<InvalidDataException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, output, new OnnxQuantizationOptions { NodesToExclude = { "MatMul_W" } }));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, output, new OnnxQuantizationOptions { NodesToExclude = { "MatMul_X" } }));
        var kept = await OnnxQuantizer.QuantizeDynamicInt8Async(input, output, new OnnxQuantizationOptions { MinimumWeightElements = 12 });

        Assert.Contains("has 12 elements, fewer than MinimumWeightElements (13)", small.Message, StringComparison.Ordinal);
        Assert.Contains("excluded by NodesToExclude", excluded.Message, StringComparison.Ordinal);
        Assert.Contains("'MatMul_X', which is not a MatMul node", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("MatMul_W, MatMul_Activations", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(["MatMul_W"], kept.QuantizedNodes);
    }

    [Fact]
    public async Task Rejects_a_missing_file_garbage_and_a_model_with_nothing_to_quantize_naming_the_path()
    {
        string missing = Path.Combine(_folder, "missing.onnx");
        string garbage = Path.Combine(_folder, "garbage.onnx");
        await File.WriteAllBytesAsync(garbage, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02]);
        string output = Path.Combine(_folder, "int8.onnx");
        string quantizedTwice = Path.Combine(_folder, "int8-again.onnx");
        await OnnxQuantizer.QuantizeDynamicInt8Async(TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder), output);

        var notFound = await Assert.ThrowsAsync<FileNotFoundException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(missing, Path.Combine(_folder, "out.onnx")));
        var notOnnx = await Assert.ThrowsAsync<InvalidDataException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(garbage, Path.Combine(_folder, "out.onnx")));
        var again = await Assert.ThrowsAsync<InvalidDataException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(output, quantizedTwice));

        Assert.Contains($"'{missing}' was not found", notFound.Message, StringComparison.Ordinal);
        Assert.Equal(missing, notFound.FileName);
        Assert.StartsWith($"The file '{garbage}' is not an ONNX model", notOnnx.Message, StringComparison.Ordinal);
        Assert.Contains($"'{output}' cannot be quantized: it has no MatMul node. Is it already quantized?", again.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "out.onnx")));
        Assert.False(File.Exists(quantizedTwice));
    }

    [Fact]
    public async Task Rejects_an_opset_without_DynamicQuantizeLinear()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight, opset: 10), _folder);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, Path.Combine(_folder, "int8.onnx")));

        Assert.Contains("imports opset 10 of the default domain; dynamic quantization needs opset 11 or later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_invalid_options_and_arguments()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);

        var negative = await Assert.ThrowsAsync<ArgumentException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, "out.onnx", new OnnxQuantizationOptions { MinimumWeightElements = -1 }));
        var blankName = await Assert.ThrowsAsync<ArgumentException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, "out.onnx", new OnnxQuantizationOptions { NodesToExclude = { " " } }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(null!, "out.onnx"));
        await Assert.ThrowsAsync<ArgumentException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, " "));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OnnxQuantizer.QuantizeEmbeddedModelAsync(null!));

        Assert.Equal("options", negative.ParamName);
        Assert.Contains("MinimumWeightElements is -1 but must be 0", negative.Message, StringComparison.Ordinal);
        Assert.Contains("NodesToExclude[0] is empty", blankName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_leaves_an_existing_output_untouched_and_no_temporary_file()
    {
        string garbage = Path.Combine(_folder, "garbage.onnx");
        await File.WriteAllTextAsync(garbage, "not a model");
        string output = Path.Combine(_folder, "int8.onnx");
        await File.WriteAllTextAsync(output, "previous model");
        string directoryOutput = Directory.CreateDirectory(Path.Combine(_folder, "a-folder.onnx")).FullName;
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);

        await Assert.ThrowsAsync<InvalidDataException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(garbage, output));
        // The model is complete but cannot be moved onto a folder: the temporary file must go.
        await Assert.ThrowsAnyAsync<IOException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, directoryOutput));

        Assert.Equal("previous model", await File.ReadAllTextAsync(output));
        Assert.Empty(Directory.GetFiles(directoryOutput));
        Assert.Equal(["garbage.onnx", "int8.onnx", "tiny.onnx"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_the_work_and_writes_nothing()
    {
        string input = TinyOnnxModels.Write(TinyOnnxModels.MatMul(Weight), _folder);
        string output = Path.Combine(_folder, "int8.onnx");
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnnxQuantizer.QuantizeDynamicInt8Async(input, output, cancellationToken: canceled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnnxQuantizer.QuantizeEmbeddedModelAsync(Path.Combine(_folder, "minilm"), cancellationToken: canceled.Token));

        Assert.Equal(["tiny.onnx"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(_folder, "minilm")) && Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "minilm")).Any());
    }

    [Fact]
    public void Quantizing_the_embedded_model_replaces_the_36_weight_MatMuls_and_keeps_the_12_activation_products()
    {
        var result = _fixture.Result;
        var graph = TinyOnnxModels.Read(result.ModelPath).Graph;

        Assert.Equal(36, result.QuantizedNodes.Count);
        Assert.Equal(12, result.SkippedNodes.Count);
        Assert.All(result.SkippedNodes, s => Assert.Matches(@"^input B \('\d+'\) is not a constant", s.Reason));
        Assert.Equal(12, graph.Node.Count(n => n.OpType == "MatMul"));
        Assert.Equal(36, graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(36, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        Assert.All(graph.Node.Where(n => n.OpType == "MatMul"), n => Assert.False(initializers.ContainsKey(n.Input[1])));
        Assert.DoesNotContain(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 2 && t.Name.Contains("encoder", StringComparison.Ordinal));
        Assert.Equal(36, graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 2));
        Assert.InRange(result.OutputBytes, result.InputBytes / 2, result.InputBytes * 7 / 10);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(result.ModelPath)!, "vocab.txt"), result.VocabularyPath);
    }

    [Fact]
    public async Task The_quantized_embedded_model_gives_vectors_close_to_the_float_model()
    {
        using var float32 = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { IntraOpThreads = 1 });
        using var int8 = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { ModelPath = _fixture.Result.ModelPath, VocabularyPath = _fixture.Result.VocabularyPath, IntraOpThreads = 1 });

        var expected = await float32.GenerateAsync(ShortAsciiSentences.All);
        var actual = await int8.GenerateAsync(ShortAsciiSentences.All);

        var cosines = expected.Zip(actual, (e, a) => TensorPrimitives.CosineSimilarity(e.Vector.Span, a.Vector.Span)).ToList();
        Assert.All(cosines, c => Assert.True(c > 0.98f, $"cosine {c}"));
        Assert.True(cosines.Average() > 0.99f, $"mean cosine {cosines.Average()}");
        Assert.Equal("all-MiniLM-L6-v2-int8", actual[0].ModelId);
        Assert.Equal(384, actual[0].Vector.Length);
    }

    [Fact]
    public async Task The_Onnx_provider_loads_the_quantized_model_from_its_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Embeddings:Provider"] = "Onnx",
            ["AiEng:Embeddings:Settings:ModelPath"] = _fixture.Result.ModelPath,
            ["AiEng:Embeddings:Settings:VocabularyPath"] = _fixture.Result.VocabularyPath,
            ["AiEng:Embeddings:Settings:IntraOpThreads"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiEng(configuration).AddOnnx();
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["A quantized model loads like any other."]);

        Assert.Equal(384, Assert.Single(embeddings).Vector.Length);
        Assert.Equal("all-MiniLM-L6-v2-int8", generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task The_embedding_cache_never_gives_the_float_vector_to_the_int8_model_that_replaced_it_at_the_same_path()
    {
        const string Text = "An int8 model and its float32 original must not share cached vectors.";
        using var folder = new TempModelFolder();
        var options = new OnnxEmbeddingGeneratorOptions { ModelPath = folder.ModelPath, VocabularyPath = folder.VocabularyPath, IntraOpThreads = 1 };
        string cache = Path.Combine(_folder, "cache");
        float[] fromFloat;
        string? floatFingerprint;
        using (var float32 = new OnnxEmbeddingGenerator(options))
        using (var cached = float32.AsBuilder().UseDiskCache(cache).Build())
        {
            fromFloat = (await cached.GenerateAsync([Text]))[0].Vector.ToArray();
            floatFingerprint = float32.GetService<EmbeddingModelFingerprint>()?.Value;
        }

        // Quantized in place: same path, so the same provider URI and model id; only the content differs.
        await OnnxQuantizer.QuantizeDynamicInt8Async(folder.ModelPath, folder.ModelPath);
        using var int8 = new OnnxEmbeddingGenerator(options);
        using var int8Cached = int8.AsBuilder().UseDiskCache(cache).Build();
        float[] fromCache = (await int8Cached.GenerateAsync([Text]))[0].Vector.ToArray();
        float[] direct = (await int8.GenerateAsync([Text]))[0].Vector.ToArray();

        Assert.Equal(direct, fromCache);
        Assert.NotEqual(fromFloat, fromCache);
        Assert.NotNull(floatFingerprint);
        Assert.NotEqual(floatFingerprint, int8.GetService<EmbeddingModelFingerprint>()?.Value);
    }

    private static float[] Multiply(float[] x, float[,] w)
    {
        int k = w.GetLength(0);
        int n = w.GetLength(1);
        var y = new float[x.Length / k * n];
        for (int r = 0; r < x.Length / k; r++)
        {
            for (int c = 0; c < n; c++)
            {
                for (int i = 0; i < k; i++)
                {
                    y[(r * n) + c] += x[(r * k) + i] * w[i, c];
                }
            }
        }

        return y;
    }
}
