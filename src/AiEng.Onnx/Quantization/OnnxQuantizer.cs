using AiEng.Shared;
using Google.Protobuf;
using Onnx;

namespace AiEng.Onnx.Quantization;

/// <summary>
/// Quantizes a float32 sentence-transformer to int8 the way ONNX Runtime's <c>quantize_dynamic</c> does: the constant
/// weights of every <c>MatMul</c> become int8 (symmetric, one scale per output column by default) and the activations are
/// quantized to uint8 at run time, so the model is about a quarter of the size and its matrix products run on integer
/// kernels. The result is an ordinary <c>.onnx</c> file: <see cref="OnnxEmbeddingGenerator"/> and the <c>Onnx</c> provider
/// load it like any other (set <c>ModelPath</c> and <c>VocabularyPath</c>).
/// </summary>
/// <remarks>
/// <para>
/// Only <c>MatMul</c> nodes whose second input is a constant float32 2-D initializer are quantized; products of two
/// activations (attention's Q x K and scores x V) stay float32, as in ONNX Runtime, and are listed in
/// <see cref="OnnxQuantizationResult.SkippedNodes"/> with the reason. Embedding tables (<c>Gather</c>), layer norms and
/// biases stay float32.
/// </para>
/// <para>
/// Quantization changes vectors slightly: measure retrieval quality with the int8 model before you switch (docs/inference-cost.md
/// gives all-MiniLM-L6-v2's figures on SciFact). Vectors of the two models must not be mixed in one index; the embedding
/// cache keys by the model's content hash, so it never does.
/// </para>
/// <para>
/// The output is written to a temporary file beside <c>outputPath</c> and moved into place when complete, so a failure or
/// cancellation leaves no half-written model (and an existing file at <c>outputPath</c> untouched). The CPU work runs on
/// the calling thread; cancellation is checked between nodes.
/// </para>
/// </remarks>
public static class OnnxQuantizer
{
    /// <summary>The file name of the model written by <see cref="QuantizeEmbeddedModelAsync"/>.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The file name of the vocabulary written by <see cref="QuantizeEmbeddedModelAsync"/>.</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>Quantizes the ONNX model at <paramref name="inputPath"/> to int8 and writes it to <paramref name="outputPath"/>.</summary>
    /// <param name="inputPath">The float32 <c>model.onnx</c>.</param>
    /// <param name="outputPath">Where to write the quantized model; its folder is created when missing and an existing file is replaced. May equal <paramref name="inputPath"/>.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults (per-channel, every constant MatMul weight).</param>
    /// <param name="cancellationToken">Stops the work; no output file is then written.</param>
    /// <returns>The paths, sizes and the quantized and skipped nodes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputPath"/> or <paramref name="outputPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A path is empty, or an option is invalid (the message names it).</exception>
    /// <exception cref="FileNotFoundException"><paramref name="inputPath"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, is damaged, or has no MatMul with a constant float32 weight (for example because it is already quantized); the message names the path.</exception>
    /// <exception cref="NotSupportedException">The model's opset is older than 11.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<OnnxQuantizationResult> QuantizeDynamicInt8Async(
        string inputPath, string outputPath, OnnxQuantizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(inputPath);
        Throw.IfNullOrWhitespace(outputPath);
        options = CheckOptions(options);
        if (!File.Exists(inputPath))
        {
            throw new FileNotFoundException($"The ONNX model file '{inputPath}' was not found (full path '{Path.GetFullPath(inputPath)}'). Give the path of a float32 sentence-transformer model.onnx, or use {nameof(QuantizeEmbeddedModelAsync)} for the embedded {MiniLmModel.ModelId}.", inputPath);
        }

        byte[] bytes = await File.ReadAllBytesAsync(inputPath, cancellationToken).ConfigureAwait(false);
        return await QuantizeAsync(bytes, $"'{inputPath}'", Path.GetFullPath(outputPath), vocabularyPath: null, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Quantizes the embedded all-MiniLM-L6-v2 to int8 and writes it, with its vocabulary, into <paramref name="outputDirectory"/>
    /// as <see cref="ModelFileName"/> and <see cref="VocabularyFileName"/>: set <see cref="OnnxQuantizationResult.ModelPath"/> and
    /// <see cref="OnnxQuantizationResult.VocabularyPath"/> as the generator's <c>ModelPath</c> and <c>VocabularyPath</c>.
    /// </summary>
    /// <param name="outputDirectory">The folder to write into; created when missing. Existing files of those names are replaced.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults (per-channel, every constant MatMul weight).</param>
    /// <param name="cancellationToken">Stops the work; the model file is then not written.</param>
    /// <returns>The paths, sizes and the quantized and skipped nodes (36 quantized and 12 skipped with the defaults).</returns>
    /// <remarks>
    /// The generator names a model in a file called <c>model.onnx</c> after its folder, so a folder such as
    /// <c>all-MiniLM-L6-v2-int8</c> gives the model that id (or set <see cref="OnnxEmbeddingGeneratorOptions.ModelId"/>).
    /// The package ships no quantized copy: quantizing takes a few seconds, so do it once and keep the folder.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="outputDirectory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputDirectory"/> is empty, or an option is invalid (the message names it).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<OnnxQuantizationResult> QuantizeEmbeddedModelAsync(
        string outputDirectory, OnnxQuantizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhitespace(outputDirectory);
        options = CheckOptions(options);
        string directory = Path.GetFullPath(outputDirectory);
        string vocabularyPath = Path.Combine(directory, VocabularyFileName);
        cancellationToken.ThrowIfCancellationRequested();

        // The vocabulary first: once model.onnx exists, the folder is complete.
        using (var vocabulary = MiniLmModel.OpenVocabulary())
        {
            await AtomicFile.WriteAsync(vocabularyPath, vocabulary, cancellationToken).ConfigureAwait(false);
        }

        return await QuantizeAsync(MiniLmModel.ReadModel(), $"'{MiniLmModel.ModelId}' (embedded)", Path.Combine(directory, ModelFileName), vocabularyPath, options, cancellationToken).ConfigureAwait(false);
    }

    private static OnnxQuantizationOptions CheckOptions(OnnxQuantizationOptions? options)
    {
        options ??= new OnnxQuantizationOptions();
        var errors = options.GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OnnxQuantizationOptions)}: {string.Join(" ", errors)}", nameof(options));
        }

        return options;
    }

    private static async Task<OnnxQuantizationResult> QuantizeAsync(
        byte[] bytes, string description, string outputPath, string? vocabularyPath, OnnxQuantizationOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"The file {description} is not an ONNX model: it does not parse as an ONNX ModelProto ({ex.Message}). Give the path of a model.onnx file.", ex);
        }

        var (quantized, skipped) = DynamicMatMulRewriter.Rewrite(model, options, description, cancellationToken);
        byte[] output = model.ToByteArray();
        await AtomicFile.WriteAsync(outputPath, output, cancellationToken).ConfigureAwait(false);
        return new OnnxQuantizationResult(outputPath, vocabularyPath, bytes.LongLength, output.LongLength, quantized, skipped);
    }
}
