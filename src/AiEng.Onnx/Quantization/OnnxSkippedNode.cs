namespace AiEng.Onnx.Quantization;

/// <summary>A <c>MatMul</c> node that <see cref="OnnxQuantizer"/> left in float32, and why.</summary>
public sealed class OnnxSkippedNode
{
    /// <summary>Initializes a new instance of the <see cref="OnnxSkippedNode"/> class.</summary>
    /// <param name="nodeName">The node's name in the graph (its output's name when the node has none).</param>
    /// <param name="reason">Why it was not quantized.</param>
    internal OnnxSkippedNode(string nodeName, string reason)
    {
        NodeName = nodeName;
        Reason = reason;
    }

    /// <summary>Gets the node's name in the graph, or the name of its output when the node has no name.</summary>
    public string NodeName { get; }

    /// <summary>
    /// Gets why the node was left in float32, for example because its second input is computed at run time (the product
    /// of two activations, such as attention scores, has no weight to quantize ahead of time).
    /// </summary>
    public string Reason { get; }

    /// <summary>Returns the node name and the reason.</summary>
    /// <returns>A line such as <c>MatMul_79: input B ('212') is not a constant: ...</c>.</returns>
    public override string ToString() => $"{NodeName}: {Reason}";
}
