using System.Runtime.InteropServices;

namespace AiEng.Onnx;

/// <summary>The word pieces of one text, ready to be laid out as <c>[CLS] pieces [SEP]</c>.</summary>
internal readonly struct EncodedText
{
    private readonly IReadOnlyList<int> _pieces;

    /// <summary>Initializes a new instance of the <see cref="EncodedText"/> struct.</summary>
    /// <param name="pieces">The word-piece ids of the whole text, without special tokens.</param>
    /// <param name="maxPieces">The largest number of pieces kept.</param>
    public EncodedText(IReadOnlyList<int> pieces, int maxPieces)
    {
        _pieces = pieces;
        PieceCount = Math.Min(pieces.Count, maxPieces);
        IsTruncated = pieces.Count > maxPieces;
    }

    /// <summary>Gets the number of pieces kept.</summary>
    public int PieceCount { get; }

    /// <summary>Gets the number of tokens fed to the model: the kept pieces plus <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public int TokenCount => PieceCount + 2;

    /// <summary>Gets a value indicating whether pieces were cut off.</summary>
    public bool IsTruncated { get; }

    /// <summary>Writes <c>[CLS] pieces [SEP]</c> then padding into <paramref name="ids"/>, and the matching mask.</summary>
    /// <param name="ids">One row of the input ids; its length is the batch's sequence length.</param>
    /// <param name="mask">The same row of the attention mask.</param>
    /// <param name="classificationId">The id of <c>[CLS]</c>.</param>
    /// <param name="separatorId">The id of <c>[SEP]</c>.</param>
    /// <param name="paddingId">The id of <c>[PAD]</c>.</param>
    public void WriteRow(Span<long> ids, Span<long> mask, int classificationId, int separatorId, int paddingId)
    {
        ids[0] = classificationId;
        Span<long> body = ids.Slice(1, PieceCount);
        if (_pieces is List<int> list)
        {
            ReadOnlySpan<int> source = CollectionsMarshal.AsSpan(list)[..PieceCount];
            for (int i = 0; i < source.Length; i++)
            {
                body[i] = source[i];
            }
        }
        else
        {
            for (int i = 0; i < body.Length; i++)
            {
                body[i] = _pieces[i];
            }
        }

        ids[PieceCount + 1] = separatorId;
        ids[TokenCount..].Fill(paddingId);
        mask[..TokenCount].Fill(1);
        mask[TokenCount..].Clear();
    }
}
