namespace AiEng.Onnx.Quantization;

/// <summary>What <see cref="OnnxQuantizer"/> wrote: the files, their sizes, and which <c>MatMul</c> nodes were quantized or left in float32.</summary>
public sealed class OnnxQuantizationResult
{
    /// <summary>Initializes a new instance of the <see cref="OnnxQuantizationResult"/> class.</summary>
    internal OnnxQuantizationResult(
        string modelPath, string? vocabularyPath, long inputBytes, long outputBytes, IReadOnlyList<string> quantizedNodes, IReadOnlyList<OnnxSkippedNode> skippedNodes)
    {
        ModelPath = modelPath;
        VocabularyPath = vocabularyPath;
        InputBytes = inputBytes;
        OutputBytes = outputBytes;
        QuantizedNodes = quantizedNodes;
        SkippedNodes = skippedNodes;
    }

    /// <summary>Gets the full path of the quantized model written: set it as <see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/> (or the <c>Onnx</c> provider's <c>ModelPath</c> setting).</summary>
    public string ModelPath { get; }

    /// <summary>
    /// Gets the full path of the vocabulary written beside the model by <see cref="OnnxQuantizer.QuantizeEmbeddedModelAsync"/>,
    /// to set as <see cref="OnnxEmbeddingGeneratorOptions.VocabularyPath"/>; <see langword="null"/> when a model file was
    /// quantized (its own vocabulary still applies: quantization does not change the tokenizer).
    /// </summary>
    public string? VocabularyPath { get; }

    /// <summary>Gets the size of the float32 model read, in bytes.</summary>
    public long InputBytes { get; }

    /// <summary>Gets the size of the quantized model written, in bytes.</summary>
    public long OutputBytes { get; }

    /// <summary>Gets the names of the <c>MatMul</c> nodes replaced by their int8 form, in graph order.</summary>
    public IReadOnlyList<string> QuantizedNodes { get; }

    /// <summary>Gets the <c>MatMul</c> nodes left in float32, each with the reason, in graph order.</summary>
    public IReadOnlyList<OnnxSkippedNode> SkippedNodes { get; }
}
