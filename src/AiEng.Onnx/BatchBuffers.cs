namespace AiEng.Onnx;

/// <summary>
/// The input and output buffers of one batch, sized for the largest batch and reused from batch to batch (and from call
/// to call, see <see cref="OnnxEmbeddingGenerator"/>). They live on the pinned object heap, so ONNX Runtime reads and
/// writes them in place without copies or per-batch allocations.
/// </summary>
internal sealed class BatchBuffers
{
    /// <summary>Initializes a new instance of the <see cref="BatchBuffers"/> class.</summary>
    /// <param name="rows">The largest number of texts per batch.</param>
    /// <param name="maxSequenceLength">The largest number of tokens per text.</param>
    /// <param name="dimensions">The hidden size of the model.</param>
    public BatchBuffers(int rows, int maxSequenceLength, int dimensions)
    {
        int tokens = checked(rows * maxSequenceLength);
        InputIds = GC.AllocateUninitializedArray<long>(tokens, pinned: true);
        AttentionMask = GC.AllocateUninitializedArray<long>(tokens, pinned: true);
        TokenTypeIds = GC.AllocateArray<long>(tokens, pinned: true); // stays all zeros: one segment
        Hidden = GC.AllocateUninitializedArray<float>(checked(tokens * dimensions), pinned: true);
    }

    /// <summary>Gets the <c>input_ids</c>, row-major batch x sequence.</summary>
    public long[] InputIds { get; }

    /// <summary>Gets the <c>attention_mask</c>, row-major batch x sequence.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Gets the <c>token_type_ids</c>: all zeros.</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>Gets the token embeddings written by the model, row-major batch x sequence x dimensions.</summary>
    public float[] Hidden { get; }
}
