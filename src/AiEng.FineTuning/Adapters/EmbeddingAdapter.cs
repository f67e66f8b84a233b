using System.Numerics.Tensors;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// A small trained transform of query embeddings that adapts a frozen embedding model to a collection: applied to the
/// vectors of queries only (see <c>UseEmbeddingAdapter</c>), so documents keep the base model's vectors and an indexed
/// corpus need not be embedded again.
/// </summary>
/// <remarks>
/// <para>
/// An adapter belongs to one base model: it records the model's id (<see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>)
/// and dimension count, and <see cref="EnsureMatches"/> refuses a generator of another model. Train one with
/// <see cref="EmbeddingAdapterTrainer"/>, save it with <see cref="Save(string)"/> (a few hundred kilobytes) and load it with
/// <see cref="Load(string)"/>.
/// </para>
/// <para>
/// Both shapes start as the identity, so an untrained adapter leaves vectors as they are (re-normalised when
/// <see cref="Normalize"/> is set). An adapter is not safe to train from several threads at once; applying a trained one
/// (<see cref="Transform(ReadOnlySpan{float}, Span{float})"/>) is thread-safe.
/// </para>
/// </remarks>
public abstract class EmbeddingAdapter
{
    private readonly Dictionary<string, string> _training = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="EmbeddingAdapter"/> class.</summary>
    /// <param name="baseModelId">The id of the embedding model the adapter belongs to.</param>
    /// <param name="dimensions">The dimension count of that model's vectors.</param>
    /// <param name="normalize">Whether outputs are scaled to unit length, as the base model's vectors are.</param>
    private protected EmbeddingAdapter(string baseModelId, int dimensions, bool normalize)
    {
        BaseModelId = Throw.IfNullOrWhitespace(baseModelId);
        Dimensions = Throw.IfLessThan(dimensions, 1);
        Normalize = normalize;
    }

    /// <summary>Gets the shape of the adapter.</summary>
    public abstract EmbeddingAdapterKind Kind { get; }

    /// <summary>Gets the id of the embedding model the adapter belongs to (its <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>).</summary>
    public string BaseModelId { get; }

    /// <summary>Gets the dimension count of the base model's vectors, which is also the adapter's input and output size.</summary>
    public int Dimensions { get; }

    /// <summary>Gets a value indicating whether outputs are scaled to unit length (set when the base model normalises its vectors).</summary>
    public bool Normalize { get; }

    /// <summary>Gets what is known of how the adapter was trained (examples, epochs, validation loss, ...), saved with it.</summary>
    public IReadOnlyDictionary<string, string> Training => _training;

    /// <summary>Gets the number of trained parameters.</summary>
    public int ParameterCount => Parameters.Length;

    /// <summary>Gets the trainable parameters, laid out as the file stores them.</summary>
    internal abstract float[] Parameters { get; }

    /// <summary>Gets the size of the per-input scratch space <see cref="Forward"/> fills and <see cref="Backward"/> reads.</summary>
    internal abstract int ScratchSize { get; }

    /// <summary>Gets the number of hidden units, or 0 for a shape without a hidden layer.</summary>
    public virtual int HiddenSize => 0;

    /// <summary>Transforms one query vector.</summary>
    /// <param name="input">A vector of the base model (<see cref="Dimensions"/> values).</param>
    /// <param name="output">Receives the adapted vector (<see cref="Dimensions"/> values); must not overlap <paramref name="input"/>.</param>
    /// <exception cref="ArgumentException">A span does not have <see cref="Dimensions"/> values.</exception>
    public void Transform(ReadOnlySpan<float> input, Span<float> output)
    {
        CheckLength(input.Length, nameof(input));
        CheckLength(output.Length, nameof(output));
        float[] scratch = new float[ScratchSize];
        Forward(input, output, scratch);
        if (Normalize)
        {
            ScaleToUnit(output);
        }
    }

    /// <summary>Transforms one query vector into a new array.</summary>
    /// <param name="input">A vector of the base model (<see cref="Dimensions"/> values).</param>
    /// <returns>The adapted vector.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have <see cref="Dimensions"/> values.</exception>
    public float[] Transform(ReadOnlySpan<float> input)
    {
        float[] output = new float[Dimensions];
        Transform(input, output);
        return output;
    }

    /// <summary>Checks that the adapter belongs to the model a generator reports.</summary>
    /// <param name="metadata">The generator's metadata (<c>generator.GetService&lt;EmbeddingGeneratorMetadata&gt;()</c>).</param>
    /// <exception cref="InvalidOperationException">
    /// The generator reports no model id, another model, or another dimension count; the message names both models.
    /// </exception>
    public void EnsureMatches(EmbeddingGeneratorMetadata? metadata)
    {
        string? model = metadata?.DefaultModelId;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException(
                $"The embedding adapter was trained for model '{BaseModelId}', but the generator reports no model id (EmbeddingGeneratorMetadata.DefaultModelId), " +
                "so the adapter cannot be checked against it. Use a generator that reports its model id.");
        }

        if (!string.Equals(model, BaseModelId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The embedding adapter was trained for model '{BaseModelId}' and cannot be applied to model '{model}': an adapter only fits the vectors " +
                $"of the model it was trained on. Train an adapter for '{model}', or use '{BaseModelId}'.");
        }

        if (metadata!.DefaultModelDimensions is int dimensions && dimensions != Dimensions)
        {
            throw new InvalidOperationException(
                $"The embedding adapter expects {Dimensions}-dimensional vectors of model '{BaseModelId}', but the generator reports {dimensions} dimensions. " +
                "Train the adapter on vectors of the dimension count the generator produces.");
        }
    }

    /// <summary>Writes the adapter to a file (replaced atomically when it exists).</summary>
    /// <param name="path">The file to write, for example <c>scifact.adapter</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    public void Save(string path)
    {
        Throw.IfNullOrWhitespace(path);
        string full = Path.GetFullPath(path);
        string temporary = full + "." + Environment.ProcessId + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                Save(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes the adapter to a stream: a versioned header (kind, base model, dimensions, training metadata) and the float32 parameters.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    public void Save(Stream stream)
    {
        Throw.IfNull(stream);
        EmbeddingAdapterFile.Write(this, stream);
    }

    /// <summary>Reads an adapter written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The adapter file.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an adapter file, is of a newer version, or is truncated or corrupt; the message names the file.</exception>
    public static EmbeddingAdapter Load(string path)
    {
        Throw.IfNullOrWhitespace(path);
        using var stream = File.OpenRead(path);
        return EmbeddingAdapterFile.Read(stream, path);
    }

    /// <summary>Reads an adapter written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">A readable stream positioned at the adapter.</param>
    /// <param name="source">What the stream is, named in error messages (a file name or URL).</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a valid adapter; the message names <paramref name="source"/>.</exception>
    public static EmbeddingAdapter Load(Stream stream, string source = "stream")
    {
        Throw.IfNull(stream);
        return EmbeddingAdapterFile.Read(stream, source ?? "stream");
    }

    /// <summary>Computes the adapter's output before normalisation.</summary>
    /// <param name="input">The input vector.</param>
    /// <param name="output">Receives the unnormalised output.</param>
    /// <param name="scratch">Receives what <see cref="Backward"/> needs (<see cref="ScratchSize"/> values).</param>
    internal abstract void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch);

    /// <summary>Adds the gradient of a loss to <paramref name="gradient"/>, given its gradient with respect to the unnormalised output.</summary>
    /// <param name="input">The input vector given to <see cref="Forward"/>.</param>
    /// <param name="scratch">The scratch <see cref="Forward"/> filled.</param>
    /// <param name="outputGradient">The loss's gradient with respect to the unnormalised output.</param>
    /// <param name="gradient">Accumulates the gradient with respect to <see cref="Parameters"/>.</param>
    /// <param name="work">Working space of <see cref="ScratchSize"/> values.</param>
    internal abstract void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> scratch, ReadOnlySpan<float> outputGradient, Span<float> gradient, Span<float> work);

    /// <summary>Adds the gradient of the penalty <c>strength / 2 · ‖θ - θ_identity‖²</c> to <paramref name="gradient"/> and returns the penalty.</summary>
    /// <param name="strength">The regularisation strength.</param>
    /// <param name="gradient">Accumulates the gradient with respect to <see cref="Parameters"/>.</param>
    /// <returns>The penalty.</returns>
    internal abstract double AddIdentityPenalty(float strength, Span<float> gradient);

    /// <summary>Records one fact of the training, saved with the adapter.</summary>
    internal void SetTraining(string key, string value) => _training[key] = value;

    /// <summary>Scales a vector to unit length in place (a zero vector stays zero) and returns the length it had.</summary>
    internal static float ScaleToUnit(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return norm;
    }

    private void CheckLength(int length, string name)
    {
        if (length != Dimensions)
        {
            throw new ArgumentException($"The vector has {length} values; the adapter for '{BaseModelId}' takes and gives {Dimensions}.", name);
        }
    }
}
