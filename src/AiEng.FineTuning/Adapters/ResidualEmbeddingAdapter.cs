using System.Numerics.Tensors;
using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>
/// An <see cref="EmbeddingAdapter"/> that adds a small learned correction to a query vector:
/// <c>x + W2·relu(W1·x + b1) + b2</c>, with a hidden layer of <see cref="HiddenSize"/> units. <c>W2</c> and <c>b2</c> start at
/// zero, so the adapter starts as the identity; <c>W1</c> starts with small seeded random values.
/// </summary>
/// <remarks>
/// With a hidden size of 64 and 384 dimensions it has 49,600 parameters: fewer than a <see cref="LinearEmbeddingAdapter"/>,
/// and it can learn a correction that depends on the query. Training pulls the correction toward zero
/// (<see cref="EmbeddingAdapterTrainingOptions.IdentityRegularization"/> on <c>W2</c> and <c>b2</c>).
/// </remarks>
public sealed class ResidualEmbeddingAdapter : EmbeddingAdapter
{
    /// <summary>The default hidden size.</summary>
    public const int DefaultHiddenSize = 64;

    private readonly float[] _parameters;
    private readonly int _hidden;

    /// <summary>Initializes a new instance of the <see cref="ResidualEmbeddingAdapter"/> class as the identity.</summary>
    /// <param name="baseModelId">The id of the embedding model the adapter belongs to (its <c>EmbeddingGeneratorMetadata.DefaultModelId</c>).</param>
    /// <param name="dimensions">The dimension count of that model's vectors.</param>
    /// <param name="hiddenSize">The number of hidden units; default <see cref="DefaultHiddenSize"/>.</param>
    /// <param name="normalize">Whether outputs are scaled to unit length; keep <see langword="true"/> for a model whose vectors are (cosine similarity).</param>
    /// <param name="seed">Seeds the random initial values of <c>W1</c>, so that training is reproducible.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseModelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseModelId"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> or <paramref name="hiddenSize"/> is less than 1.</exception>
    public ResidualEmbeddingAdapter(string baseModelId, int dimensions, int hiddenSize = DefaultHiddenSize, bool normalize = true, int seed = 42)
        : base(baseModelId, dimensions, normalize)
    {
        _hidden = Throw.IfLessThan(hiddenSize, 1);
        _parameters = new float[ParameterCountFor(dimensions, hiddenSize)];
        var random = new Random(seed);
        float scale = 1f / MathF.Sqrt(dimensions);
        for (int k = 0; k < hiddenSize * dimensions; k++)
        {
            // Uniform in [-scale, scale]: unit-length inputs give hidden pre-activations of order 1/sqrt(3).
            _parameters[k] = (float)((random.NextDouble() * 2) - 1) * scale;
        }
    }

    /// <summary>Initializes a new instance of the <see cref="ResidualEmbeddingAdapter"/> class from saved parameters.</summary>
    internal ResidualEmbeddingAdapter(string baseModelId, int dimensions, int hiddenSize, bool normalize, float[] parameters)
        : base(baseModelId, dimensions, normalize)
    {
        _hidden = hiddenSize;
        _parameters = parameters;
    }

    /// <inheritdoc />
    public override EmbeddingAdapterKind Kind => EmbeddingAdapterKind.Residual;

    /// <summary>Gets the number of hidden units.</summary>
    public override int HiddenSize => _hidden;

    /// <inheritdoc />
    internal override float[] Parameters => _parameters;

    /// <inheritdoc />
    internal override int ScratchSize => _hidden;

    // Layout: W1 (hidden × d, row-major) | b1 (hidden) | W2 (d × hidden, row-major) | b2 (d).
    private int B1 => _hidden * Dimensions;

    private int W2 => B1 + _hidden;

    private int B2 => W2 + (Dimensions * _hidden);

    /// <summary>Gets the number of parameters of an adapter of <paramref name="dimensions"/> and <paramref name="hiddenSize"/>.</summary>
    internal static int ParameterCountFor(int dimensions, int hiddenSize) => checked((2 * hiddenSize * dimensions) + hiddenSize + dimensions);

    /// <inheritdoc />
    internal override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        int d = Dimensions;
        ReadOnlySpan<float> p = _parameters;
        Span<float> preActivation = scratch[.._hidden];
        for (int k = 0; k < _hidden; k++)
        {
            preActivation[k] = TensorPrimitives.Dot(p.Slice(k * d, d), input) + p[B1 + k];
        }

        Span<float> activation = _hidden <= 256 ? stackalloc float[_hidden] : new float[_hidden];
        TensorPrimitives.Max(preActivation, 0f, activation);
        for (int i = 0; i < d; i++)
        {
            output[i] = input[i] + TensorPrimitives.Dot(p.Slice(W2 + (i * _hidden), _hidden), activation) + p[B2 + i];
        }
    }

    /// <inheritdoc />
    internal override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> scratch, ReadOnlySpan<float> outputGradient, Span<float> gradient, Span<float> work)
    {
        int d = Dimensions;
        ReadOnlySpan<float> p = _parameters;
        ReadOnlySpan<float> preActivation = scratch[.._hidden];
        Span<float> activation = _hidden <= 256 ? stackalloc float[_hidden] : new float[_hidden];
        TensorPrimitives.Max(preActivation, 0f, activation);

        // dW2[i] += g_i · a; db2 += g; da = W2ᵀ·g.
        Span<float> activationGradient = work[.._hidden];
        activationGradient.Clear();
        for (int i = 0; i < d; i++)
        {
            float g = outputGradient[i];
            if (g != 0)
            {
                Span<float> row = gradient.Slice(W2 + (i * _hidden), _hidden);
                TensorPrimitives.MultiplyAdd(activation, g, row, row);
                TensorPrimitives.MultiplyAdd(p.Slice(W2 + (i * _hidden), _hidden), g, activationGradient, activationGradient);
            }
        }

        Span<float> b2 = gradient.Slice(B2, d);
        TensorPrimitives.Add(b2, outputGradient, b2);

        // Through the ReLU: dh = da where h > 0; dW1[k] += dh_k · x; db1 += dh.
        for (int k = 0; k < _hidden; k++)
        {
            if (preActivation[k] > 0 && activationGradient[k] != 0)
            {
                Span<float> row = gradient.Slice(k * d, d);
                TensorPrimitives.MultiplyAdd(input, activationGradient[k], row, row);
                gradient[B1 + k] += activationGradient[k];
            }
        }
    }

    /// <inheritdoc />
    internal override double AddIdentityPenalty(float strength, Span<float> gradient)
    {
        // The identity is W2 = 0 and b2 = 0, whatever W1 and b1 are.
        double penalty = 0;
        for (int k = W2; k < _parameters.Length; k++)
        {
            float value = _parameters[k];
            penalty += (double)value * value;
            gradient[k] += strength * value;
        }

        return 0.5 * strength * penalty;
    }
}
