using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace AiEng.Onnx.Quantization;

/// <summary>
/// Rewrites the <c>MatMul</c> nodes of an ONNX graph whose second input is a constant float32 matrix into ONNX Runtime's
/// dynamic int8 pattern, the one its Python <c>quantize_dynamic</c> emits (<c>QuantizationMode.IntegerOps</c>):
/// <code>
///   A (float) --DynamicQuantizeLinear--> A_q (uint8), A_scale, A_zero_point
///   MatMulInteger(A_q, W_q (int8), A_zero_point, W_zero_point (0)) --> int32
///   Cast(to float) --> Mul(., Mul(A_scale, W_scale)) --> the MatMul's original output
/// </code>
/// The activation is quantized at run time (asymmetric uint8 over its current range); the weight once, here (symmetric
/// int8, one scale per output column). ONNX Runtime's graph optimizer fuses each such group into one kernel with
/// prepacked weights: <c>DynamicQuantizeMatMul</c> when the quantized activation feeds a single MatMul, which is why every
/// quantized node gets its own <c>DynamicQuantizeLinear</c>; its common-subexpression elimination merges those that read
/// the same activation (attention's Q, K and V), which then run as <c>MatMulIntegerToFloat</c> (all-MiniLM-L6-v2: 18 of each).
/// </summary>
internal sealed class DynamicMatMulRewriter
{
    /// <summary>The first opset of the default domain with <c>DynamicQuantizeLinear</c>.</summary>
    internal const int MinimumOpset = 11;

    /// <summary>The metadata key the quantizer writes into the model, describing what was done.</summary>
    internal const string MetadataKey = "aieng.quantization";

    private readonly GraphProto _graph;
    private readonly OnnxQuantizationOptions _options;
    private readonly string _description;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Values, string Scale, string ZeroPoint)> _quantizedWeights = new(StringComparer.Ordinal);
    private readonly List<TensorProto> _newInitializers = [];

    private DynamicMatMulRewriter(GraphProto graph, OnnxQuantizationOptions options, string description)
    {
        _graph = graph;
        _options = options;
        _description = description;
    }

    /// <summary>Quantizes the model's MatMul weights in place.</summary>
    /// <param name="model">The parsed model.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="description">How to name the model in messages (its path, quoted).</param>
    /// <param name="cancellationToken">Checked before each node.</param>
    /// <returns>The names of the quantized nodes and the skipped ones with their reasons.</returns>
    /// <exception cref="InvalidDataException">The model has no graph, a weight's data is inconsistent, or no MatMul has a constant weight.</exception>
    /// <exception cref="NotSupportedException">The model's opset is older than 11.</exception>
    /// <exception cref="ArgumentException">A name in <see cref="OnnxQuantizationOptions.NodesToExclude"/> matches no MatMul node.</exception>
    public static (List<string> Quantized, List<OnnxSkippedNode> Skipped) Rewrite(ModelProto model, OnnxQuantizationOptions options, string description, CancellationToken cancellationToken)
    {
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"The file {description} is not an ONNX model: it holds no graph nodes. Give the path of a model.onnx exported from PyTorch, TensorFlow or Optimum.");
        }

        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset < MinimumOpset)
        {
            throw new NotSupportedException($"The ONNX model {description} imports opset {opset} of the default domain; dynamic quantization needs opset {MinimumOpset} or later (DynamicQuantizeLinear). Export the model again with opset_version={MinimumOpset} or later (17 is common).");
        }

        var rewriter = new DynamicMatMulRewriter(model.Graph, options, description);
        var result = rewriter.RewriteGraph(cancellationToken);

        // A model quantized again (a node excluded the first time) keeps one entry: the latest.
        for (int i = model.MetadataProps.Count - 1; i >= 0; i--)
        {
            if (model.MetadataProps[i].Key == MetadataKey)
            {
                model.MetadataProps.RemoveAt(i);
            }
        }

        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = MetadataKey,
            Value = $"dynamic int8: {result.Quantized.Count} MatMul weights, {(options.PerChannel ? "per output column" : "per tensor")}, {(options.ReduceRange ? "7-bit" : "8-bit")} symmetric; activations uint8 at run time",
        });
        return result;
    }

    private (List<string> Quantized, List<OnnxSkippedNode> Skipped) RewriteGraph(CancellationToken cancellationToken)
    {
        foreach (var tensor in _graph.Initializer)
        {
            // A repeated name is invalid ONNX; ONNX Runtime takes the last, so do the same.
            _initializers[tensor.Name] = tensor;
        }

        CollectNames(_graph);
        var graphInputs = new HashSet<string>(_graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        var excluded = new HashSet<string>(_options.NodesToExclude, StringComparer.Ordinal);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var quantized = new List<string>();
        var skipped = new List<OnnxSkippedNode>();
        var nodes = new List<NodeProto>(_graph.Node.Count + 64);
        foreach (var node in _graph.Node)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx"))
            {
                nodes.Add(node);
                continue;
            }

            string name = string.IsNullOrEmpty(node.Name) ? node.Output.FirstOrDefault() ?? "(unnamed MatMul)" : node.Name;
            string? reason = excluded.Contains(name) ? $"excluded by {nameof(OnnxQuantizationOptions.NodesToExclude)}" : SkipReason(node, graphInputs);
            if (excluded.Contains(name))
            {
                matched.Add(name);
            }

            if (reason is not null)
            {
                skipped.Add(new OnnxSkippedNode(name, reason));
                nodes.Add(node);
                continue;
            }

            nodes.AddRange(CreateQuantizedNodes(node, name));
            quantized.Add(name);
        }

        var unknown = excluded.Except(matched).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{nameof(OnnxQuantizationOptions.NodesToExclude)} names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which {(unknown.Count == 1 ? "is" : "are")} not a MatMul node of the model {_description}. MatMul nodes: {string.Join(", ", quantized.Concat(skipped.Select(s => s.NodeName)).Take(12))}{(quantized.Count + skipped.Count > 12 ? ", ..." : string.Empty)}.", "options");
        }

        if (quantized.Count == 0)
        {
            string why = skipped.Count == 0
                ? "it has no MatMul node"
                : $"none of its {skipped.Count} MatMul nodes has a constant float32 weight to quantize ({skipped[0]})";
            throw new InvalidDataException($"The ONNX model {_description} cannot be quantized: {why}. Is it already quantized? Give the float32 export of the model.");
        }

        _graph.Node.Clear();
        _graph.Node.AddRange(nodes);
        RemoveUnusedWeights();
        _graph.Initializer.AddRange(_newInitializers);
        return (quantized, skipped);
    }

    /// <summary>Returns why a MatMul cannot be quantized, or <see langword="null"/> when it can.</summary>
    private string? SkipReason(NodeProto node, HashSet<string> graphInputs)
    {
        if (node.Input.Count != 2 || node.Output.Count != 1)
        {
            return $"it has {node.Input.Count} inputs and {node.Output.Count} outputs; MatMul has 2 and 1";
        }

        string weightName = node.Input[1];
        if (!_initializers.TryGetValue(weightName, out var weight))
        {
            return $"input B ('{weightName}') is not a constant: it is computed at run time (as in attention's products of two activations) or fed as a graph input, so there is no weight to quantize ahead of time";
        }

        if (graphInputs.Contains(weightName))
        {
            return $"input B ('{weightName}') is also a graph input, so a caller may replace it at run time";
        }

        if (weight.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return $"its weight '{weightName}' is {(TensorProto.Types.DataType)weight.DataType}, not float32";
        }

        if (weight.Dims.Count != 2)
        {
            return $"its weight '{weightName}' has shape [{string.Join(", ", weight.Dims)}]; only 2-D weights are quantized";
        }

        if (weight.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return $"its weight '{weightName}' is stored as external data; save the model with its weights inside the .onnx file";
        }

        long elements = weight.Dims[0] * weight.Dims[1];
        if (elements < _options.MinimumWeightElements)
        {
            return $"its weight '{weightName}' has {elements} elements, fewer than {nameof(OnnxQuantizationOptions.MinimumWeightElements)} ({_options.MinimumWeightElements})";
        }

        return null;
    }

    /// <summary>Creates the five nodes that replace one MatMul; the last writes the MatMul's own output.</summary>
    private NodeProto[] CreateQuantizedNodes(NodeProto node, string name)
    {
        var (weightValues, weightScale, weightZeroPoint) = GetQuantizedWeight(node.Input[1]);
        string activation = node.Input[0];
        string quantizedActivation = UniqueName($"{name}_input_quantized");
        string activationScale = UniqueName($"{name}_input_scale");
        string activationZeroPoint = UniqueName($"{name}_input_zero_point");
        string product = UniqueName($"{name}_int32");
        string productFloat = UniqueName($"{name}_int32_float");
        string scales = UniqueName($"{name}_scales");

        return
        [
            Node("DynamicQuantizeLinear", $"{name}_QuantizeInput", [activation], [quantizedActivation, activationScale, activationZeroPoint]),
            Node("MatMulInteger", $"{name}_MatMulInteger", [quantizedActivation, weightValues, activationZeroPoint, weightZeroPoint], [product]),
            Node("Cast", $"{name}_Cast", [product], [productFloat], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float }),
            Node("Mul", $"{name}_ScalesMul", [activationScale, weightScale], [scales]),
            Node("Mul", $"{name}_OutputScaleMul", [productFloat, scales], [node.Output[0]]),
        ];
    }

    private NodeProto Node(string opType, string name, string[] inputs, string[] outputs, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(name) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attribute is not null)
        {
            node.Attribute.Add(attribute);
        }

        return node;
    }

    /// <summary>Quantizes a weight once, however many MatMuls share it, and returns the names of its three new initializers.</summary>
    private (string Values, string Scale, string ZeroPoint) GetQuantizedWeight(string weightName)
    {
        if (_quantizedWeights.TryGetValue(weightName, out var names))
        {
            return names;
        }

        var weight = _initializers[weightName];
        int rows = checked((int)weight.Dims[0]);
        int columns = checked((int)weight.Dims[1]);
        var quantized = QuantizedWeight.Quantize(ReadFloats(weight, checked(rows * columns)), columns, _options.PerChannel, _options.ReduceRange, weightName);

        names = (UniqueName($"{weightName}_quantized"), UniqueName($"{weightName}_scale"), UniqueName($"{weightName}_zero_point"));
        var values = new TensorProto { Name = names.Values, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantized.Values.AsSpan())) };
        values.Dims.AddRange([rows, columns]);

        // Per-channel parameters are 1-D of N (one per column), per-tensor ones scalars: the shapes ONNX Runtime's MatMulInteger
        // and its fused kernels accept for B. Zero points are all 0 (symmetric), which lets ONNX Runtime pick its symmetric kernels.
        var scale = new TensorProto { Name = names.Scale, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantized.Scales.AsSpan())) };
        var zeroPoint = new TensorProto { Name = names.ZeroPoint, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(new byte[quantized.Scales.Length]) };
        if (_options.PerChannel)
        {
            scale.Dims.Add(columns);
            zeroPoint.Dims.Add(columns);
        }

        _newInitializers.AddRange([values, scale, zeroPoint]);
        _quantizedWeights[weightName] = names;
        return names;
    }

    /// <summary>Reads a float32 initializer's values, from <c>raw_data</c> (little-endian) or <c>float_data</c>.</summary>
    private float[] ReadFloats(TensorProto tensor, int count)
    {
        if (!tensor.RawData.IsEmpty)
        {
            if (tensor.RawData.Length != count * sizeof(float))
            {
                throw new InvalidDataException($"The weight '{tensor.Name}' of the ONNX model {_description} has shape [{string.Join(", ", tensor.Dims)}] ({count} floats) but {tensor.RawData.Length} bytes of data; the file is damaged.");
            }

            // ONNX stores raw data little-endian, the byte order of every platform .NET and ONNX Runtime run on.
            return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }

        if (tensor.FloatData.Count != count)
        {
            throw new InvalidDataException($"The weight '{tensor.Name}' of the ONNX model {_description} has shape [{string.Join(", ", tensor.Dims)}] ({count} floats) but {tensor.FloatData.Count} values; the file is damaged.");
        }

        return [.. tensor.FloatData];
    }

    /// <summary>Removes the float32 weights that no node (in any subgraph) nor graph output reads any longer.</summary>
    private void RemoveUnusedWeights()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        CollectInputs(_graph, used);
        foreach (var output in _graph.Output)
        {
            used.Add(output.Name);
        }

        for (int i = _graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (_quantizedWeights.ContainsKey(_graph.Initializer[i].Name) && !used.Contains(_graph.Initializer[i].Name))
            {
                _graph.Initializer.RemoveAt(i);
            }
        }
    }

    private static void CollectInputs(GraphProto graph, HashSet<string> used)
    {
        foreach (var node in graph.Node)
        {
            used.UnionWith(node.Input);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is not null)
                {
                    CollectInputs(attribute.G, used);
                }

                foreach (var subgraph in attribute.Graphs)
                {
                    CollectInputs(subgraph, used);
                }
            }
        }
    }

    /// <summary>Records every node and value name of the graph and its subgraphs, so new names never clash.</summary>
    private void CollectNames(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            _usedNames.Add(node.Name);
            _usedNames.UnionWith(node.Input);
            _usedNames.UnionWith(node.Output);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is not null)
                {
                    CollectNames(attribute.G);
                }

                foreach (var subgraph in attribute.Graphs)
                {
                    CollectNames(subgraph);
                }
            }
        }

        _usedNames.UnionWith(graph.Initializer.Select(t => t.Name));
        _usedNames.UnionWith(graph.Input.Select(v => v.Name));
        _usedNames.UnionWith(graph.Output.Select(v => v.Name));
        _usedNames.UnionWith(graph.ValueInfo.Select(v => v.Name));
    }

    private string UniqueName(string name)
    {
        string candidate = name;
        for (int i = 1; !_usedNames.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }
}
