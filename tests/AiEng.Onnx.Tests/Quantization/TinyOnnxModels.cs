using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace AiEng.Onnx.Tests.Quantization;

/// <summary>Small ONNX models built by hand with OnnxSharp, and a way to run them with ONNX Runtime.</summary>
internal static class TinyOnnxModels
{
    /// <summary>
    /// Y = X (2 x K) times the constant weight W (K x N), named <c>MatMul_W</c>; with <paramref name="withActivationProduct"/>,
    /// also O = Y times the graph input Z (N x 2), named <c>MatMul_Activations</c>, whose B is computed at run time.
    /// </summary>
    public static ModelProto MatMul(float[,] weight, bool withActivationProduct = false, int opset = 13)
    {
        int k = weight.GetLength(0);
        int n = weight.GetLength(1);
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value("X", 2, k));
        var w = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float };
        w.Dims.AddRange([k, n]);
        w.FloatData.AddRange(weight.Cast<float>());
        graph.Initializer.Add(w);
        graph.Node.Add(Node("MatMul", "MatMul_W", ["X", "W"], ["Y"]));
        if (withActivationProduct)
        {
            graph.Input.Add(Value("Z", n, 2));
            graph.Node.Add(Node("MatMul", "MatMul_Activations", ["Y", "Z"], ["O"]));
            graph.Output.Add(Value("O", 2, 2));
        }
        else
        {
            graph.Output.Add(Value("Y", 2, n));
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "AiEng.Onnx.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    public static string Write(ModelProto model, string directory, string name = "tiny.onnx")
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public static ModelProto Read(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    /// <summary>Runs a model on the named float inputs and returns its first output, flattened.</summary>
    public static float[] Run(string path, params (string Name, float[] Values, int[] Shape)[] inputs)
    {
        using var session = new InferenceSession(path);
        var values = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>(i.Values, i.Shape))).ToList();
        using var results = session.Run(values);
        return results[0].AsTensor<float>().ToArray();
    }

    public static float[] ReadFloats(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.FloatData] : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    public static sbyte[] ReadInt8(TensorProto tensor) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(tensor.RawData.Span).ToArray();

    private static NodeProto Node(string opType, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
