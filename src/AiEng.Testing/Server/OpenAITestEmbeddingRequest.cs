using System.Text.Json;

namespace AiEng.Testing;

/// <summary>An embeddings request received by <see cref="OpenAITestServer"/>, as passed to its embedding handler.</summary>
public sealed class OpenAITestEmbeddingRequest
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestEmbeddingRequest"/> class.</summary>
    /// <param name="model">The requested model.</param>
    /// <param name="inputs">The texts to embed.</param>
    /// <param name="body">The whole JSON request body.</param>
    public OpenAITestEmbeddingRequest(string model, IReadOnlyList<string> inputs, JsonElement body)
    {
        Model = model;
        Inputs = inputs;
        Body = body;
    }

    /// <summary>Gets the requested model (<c>model</c>).</summary>
    public string Model { get; }

    /// <summary>Gets the texts to embed (<c>input</c>, a string or an array of strings).</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Gets the requested number of dimensions (<c>dimensions</c>), if sent.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Gets the requested encoding (<c>encoding_format</c>): <c>float</c> (the API's default) or <c>base64</c>.</summary>
    public string EncodingFormat { get; init; } = "float";

    /// <summary>Gets the whole JSON request body.</summary>
    public JsonElement Body { get; }
}
