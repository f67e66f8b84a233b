namespace AiEng.Retrieval;

/// <summary>
/// Lucene 4's one-byte document-length encoding for BM25: the field norm <c>1 / sqrt(length)</c> stored as a small float
/// with 3 mantissa bits and a zero exponent of 15 ("SmallFloat 3.15"), decoded back to <c>1 / norm^2</c>.
/// Written from the format's description; reproducing it makes AiEng's BM25 indexes rank as Lucene does.
/// </summary>
internal static class LuceneLength
{
    private const int MantissaBits = 3;
    private const int ZeroExponent = 15;
    private static readonly float[] DecodedLengths = CreateTable();

    /// <summary>Rounds <paramref name="length"/> the way storing and reading it back in Lucene 4 does.</summary>
    /// <param name="length">The number of indexed terms of a document.</param>
    /// <returns>The length Lucene's BM25 uses for the document.</returns>
    public static float Round(int length) => length <= 0 ? 0 : DecodedLengths[Encode(1 / MathF.Sqrt(length))];

    /// <summary>Encodes a positive float in one byte: 3 mantissa bits, exponent offset by 15.</summary>
    internal static byte Encode(float value)
    {
        int zero = (63 - ZeroExponent) << MantissaBits;
        int bits = BitConverter.SingleToInt32Bits(value);
        int small = bits >> (24 - MantissaBits);
        if (small <= zero)
        {
            return bits <= 0 ? (byte)0 : (byte)1;
        }

        return small >= zero + 0x100 ? (byte)255 : (byte)(small - zero);
    }

    /// <summary>Decodes a byte written by <see cref="Encode(float)"/>.</summary>
    internal static float Decode(byte encoded)
    {
        if (encoded == 0)
        {
            return 0;
        }

        int bits = (encoded << (24 - MantissaBits)) + ((63 - ZeroExponent) << 24);
        return BitConverter.Int32BitsToSingle(bits);
    }

    private static float[] CreateTable()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            float norm = Decode((byte)i);
            table[i] = 1 / (norm * norm);
        }

        return table;
    }
}
