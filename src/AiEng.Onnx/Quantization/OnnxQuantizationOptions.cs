namespace AiEng.Onnx.Quantization;

/// <summary>
/// Options of <see cref="OnnxQuantizer"/>. Every property has a working default: with a new instance every <c>MatMul</c>
/// whose second input is a constant float weight gets int8 weights with one scale per output column, as ONNX Runtime's
/// <c>quantize_dynamic(per_channel=True)</c> does.
/// </summary>
/// <remarks>The quantizer reads the options when it is called; it keeps no reference to them.</remarks>
public sealed class OnnxQuantizationOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether each output column of a weight gets its own scale (per-channel) rather than
    /// one scale for the whole matrix (per-tensor). Default: <see langword="true"/>: a column of small weights then keeps its
    /// precision beside a column of large ones, which matters for transformers, whose weight columns differ in range.
    /// </summary>
    public bool PerChannel { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether weights use 7 bits (-64 to 64) instead of 8 (-127 to 127). Default:
    /// <see langword="false"/>. Turn it on for x86-64 processors without VNNI (AVX2 or AVX-512 without the
    /// <c>avx512_vnni</c>/<c>avx_vnni</c> flags), where ONNX Runtime's u8 x s8 kernels can saturate intermediate 16-bit sums;
    /// processors with VNNI and ARM need no reduced range.
    /// </summary>
    public bool ReduceRange { get; set; }

    /// <summary>
    /// Gets or sets the smallest number of elements a weight must have to be quantized; smaller ones stay float32, with
    /// the reason in <see cref="OnnxQuantizationResult.SkippedNodes"/>. Default: 0, every constant weight. Small matrices
    /// save little time and space, so a model whose accuracy suffers can keep them in float32.
    /// </summary>
    public int MinimumWeightElements { get; set; }

    /// <summary>
    /// Gets the names of <c>MatMul</c> nodes to leave in float32 (for example the last layer, when it costs accuracy), as
    /// ONNX Runtime's <c>nodes_to_exclude</c>. Default: empty. A name that matches no node is reported as an error, so a typo
    /// does not pass unnoticed.
    /// </summary>
    public IList<string> NodesToExclude { get; } = new List<string>();

    /// <summary>Checks every property; each message names the property, says what is wrong and gives a valid example.</summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    internal List<string> GetErrors()
    {
        var errors = new List<string>();
        if (MinimumWeightElements < 0)
        {
            errors.Add($"{nameof(MinimumWeightElements)} is {MinimumWeightElements} but must be 0 (quantize every constant weight) or more, for example 65536.");
        }

        for (int i = 0; i < NodesToExclude.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(NodesToExclude[i]))
            {
                errors.Add($"{nameof(NodesToExclude)}[{i}] is {(NodesToExclude[i] is null ? "null" : "empty")}; give the name of a MatMul node of the model, for example 'MatMul_122'.");
            }
        }

        return errors;
    }
}
