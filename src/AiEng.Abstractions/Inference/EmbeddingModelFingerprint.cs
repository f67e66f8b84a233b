using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Identifies the exact weights an embedding generator runs, such as the SHA-256 of a local model file: two generators
/// with equal fingerprints (and equal <c>EmbeddingGeneratorMetadata</c>) give the same vectors. A generator that knows it
/// returns it from <c>GetService(typeof(EmbeddingModelFingerprint))</c> (AiEng.Onnx's generator does); the embedding
/// cache (<c>UseEmbeddingCache</c>, <c>UseDiskCache</c>) adds it to every key, so an int8 and a float32 copy of one model,
/// or a model file replaced in place, never share cached vectors.
/// </summary>
/// <remarks>
/// Hosted models have no such fingerprint (their provider changes weights behind a model id); their cache keys use the
/// metadata alone.
/// </remarks>
public sealed class EmbeddingModelFingerprint
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingModelFingerprint"/> class.</summary>
    /// <param name="value">The fingerprint, for example <c>sha256:</c> followed by the model file's hash in hexadecimal.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or whitespace.</exception>
    public EmbeddingModelFingerprint(string value) => Value = Throw.IfNullOrWhitespace(value);

    /// <summary>Gets the fingerprint, for example <c>sha256:9f86d08...</c>.</summary>
    public string Value { get; }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The fingerprint.</returns>
    public override string ToString() => Value;
}
