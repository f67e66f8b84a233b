namespace AiEng.Onnx.Quantization;

/// <summary>
/// A float32 matrix (K rows x N columns, row-major, as <c>MatMul</c>'s second input) quantized to int8 symmetrically:
/// <c>w ~ q * scale</c> with zero point 0, one scale per column or one for the whole matrix.
/// </summary>
internal sealed class QuantizedWeight
{
    private QuantizedWeight(sbyte[] values, float[] scales)
    {
        Values = values;
        Scales = scales;
    }

    /// <summary>Gets the quantized values, in the layout of the float matrix.</summary>
    public sbyte[] Values { get; }

    /// <summary>Gets the scales: one per column (per-channel) or a single one (per-tensor).</summary>
    public float[] Scales { get; }

    /// <summary>
    /// Quantizes a matrix. The scale of a column is <c>max |w| / q</c> (q = 127, or 64 with a reduced range), so the
    /// largest weight maps to +-q and 0 stays exactly 0; values round half to even, as ONNX's <c>QuantizeLinear</c> does.
    /// </summary>
    /// <param name="weights">The K x N values, row-major.</param>
    /// <param name="columns">N, the number of output columns.</param>
    /// <param name="perChannel">One scale per column rather than one for the matrix.</param>
    /// <param name="reduceRange">Use -64..64 instead of -127..127.</param>
    /// <param name="name">The initializer's name, for error messages.</param>
    /// <returns>The quantized matrix.</returns>
    /// <exception cref="InvalidDataException">A weight is NaN or infinite.</exception>
    public static QuantizedWeight Quantize(ReadOnlySpan<float> weights, int columns, bool perChannel, bool reduceRange, string name)
    {
        int rows = weights.Length / columns;
        float limit = reduceRange ? 64f : 127f;
        var maxAbs = new float[perChannel ? columns : 1];
        for (int r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                float value = row[c];
                if (!float.IsFinite(value))
                {
                    throw new InvalidDataException($"The weight '{name}' holds {value} at row {r}, column {c}; only finite weights can be quantized. Check the model's export.");
                }

                ref float max = ref maxAbs[perChannel ? c : 0];
                max = MathF.Max(max, MathF.Abs(value));
            }
        }

        var scales = new float[maxAbs.Length];
        for (int i = 0; i < scales.Length; i++)
        {
            // An all-zero column gets scale 1: its values quantize to 0 whatever the scale, and a zero scale would divide by zero.
            scales[i] = maxAbs[i] > 0 ? maxAbs[i] / limit : 1f;
        }

        var values = new sbyte[weights.Length];
        for (int r = 0; r < rows; r++)
        {
            int offset = r * columns;
            for (int c = 0; c < columns; c++)
            {
                float scaled = weights[offset + c] / scales[perChannel ? c : 0];
                values[offset + c] = (sbyte)Math.Clamp(MathF.Round(scaled, MidpointRounding.ToEven), -limit, limit);
            }
        }

        return new QuantizedWeight(values, scales);
    }
}
