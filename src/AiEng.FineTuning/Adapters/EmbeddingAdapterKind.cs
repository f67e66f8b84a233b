namespace AiEng.FineTuning;

/// <summary>The shape of an <see cref="EmbeddingAdapter"/>.</summary>
public enum EmbeddingAdapterKind
{
    /// <summary>A <see cref="LinearEmbeddingAdapter"/>: <c>W·x + b</c>, with <c>W</c> a square matrix that starts as the identity.</summary>
    Linear = 1,

    /// <summary>A <see cref="ResidualEmbeddingAdapter"/>: <c>x + W2·relu(W1·x + b1) + b2</c>, with <c>W2</c> starting at zero.</summary>
    Residual = 2,
}
