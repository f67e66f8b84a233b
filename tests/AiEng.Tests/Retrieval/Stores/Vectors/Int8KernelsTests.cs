using System.Runtime.Intrinsics.X86;

namespace AiEng.Retrieval;

public sealed class Int8KernelsTests
{
    private const int Rows = 11;

    private delegate void DotRowsKernel(ReadOnlySpan<sbyte> codes, int firstRow, ReadOnlySpan<sbyte> query, ReadOnlySpan<short> queryWide, Span<int> results);

    [Fact]
    public void Quantize_uses_the_full_range_and_returns_the_scale()
    {
        var codes = new sbyte[3];

        float scale = Int8Kernels.Quantize([0.5f, -1f, 0.25f], codes);

        Assert.Equal([64, -127, 32], codes.Select(c => (int)c));
        Assert.Equal(1f / 127, scale, 6);
    }

    [Fact]
    public void Quantize_maps_a_zero_vector_to_zero()
    {
        var codes = new sbyte[] { 5, 5 };

        Assert.Equal(0f, Int8Kernels.Quantize([0f, 0f], codes));
        Assert.Equal([0, 0], codes.Select(c => (int)c));
    }

    [Theory]
    [InlineData(384)]
    [InlineData(37)]
    [InlineData(8)]
    public void DotRows_matches_the_scalar_dot_product_for_every_row_from_the_first_row_given(int dimensions)
    {
        var (rows, query) = RandomCodes(new Random(dimensions), Rows, dimensions);

        AssertDotRows(Int8Kernels.DotRows, rows, query);

        Assert.Equal(127 * 127 * dimensions, Int8Kernels.Dot(Enumerable.Repeat((sbyte)-127, dimensions).ToArray(), Enumerable.Repeat((sbyte)-127, dimensions).ToArray()));
    }

    // Each path on dimensions that take only its vector loop, only its scalar tail, or both. Only the paths this CPU can
    // run are listed (the portable one always); the others cannot be tested on it.
    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Every_supported_path_matches_the_scalar_dot_product_on_random_codes(string path)
    {
        var kernel = Path(path);
        foreach (int dimensions in new[] { 1, 15, 16, 31, 32, 33, 64, 100, 384 })
        {
            var (rows, query) = RandomCodes(new Random(dimensions), Rows, dimensions);
            AssertDotRows(kernel, rows, query);
        }
    }

    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Every_supported_path_is_exact_at_the_ends_of_the_code_range(string path)
    {
        var kernel = Path(path);
        const int Dimensions = 384 + 7;
        sbyte[][] patterns =
        [
            Fill(Dimensions, _ => -127),
            Fill(Dimensions, _ => 127),
            Fill(Dimensions, i => i % 2 == 0 ? (sbyte)127 : (sbyte)-127),
            Fill(Dimensions, i => i % 3 == 0 ? (sbyte)-127 : (sbyte)0),
            Fill(Dimensions, _ => 0),
            Fill(Dimensions, i => (sbyte)((i % 255) - 127)),
        ];
        var rows = patterns.SelectMany(row => row).ToArray();
        foreach (var query in patterns)
        {
            AssertDotRows(kernel, rows, query, firstRow: 0);
        }

        var results = new int[patterns.Length];
        kernel(rows, 0, patterns[0], Widen(patterns[0]), results);
        Assert.Equal(127 * 127 * Dimensions, results[0]);
        Assert.Equal(-127 * 127 * Dimensions, results[1]);
    }

    /// <summary>The <see cref="Int8Kernels.DotRows"/> paths this CPU can run.</summary>
    public static TheoryData<string> SupportedPaths()
    {
        var paths = new TheoryData<string> { nameof(Int8Kernels.DotRowsPortable) };
        if (AvxVnni.IsSupported)
        {
            paths.Add(nameof(Int8Kernels.DotRowsAvxVnni));
        }

        if (Avx512BW.IsSupported)
        {
            paths.Add(nameof(Int8Kernels.DotRowsAvx512BW));
        }

        if (Avx2.IsSupported)
        {
            paths.Add(nameof(Int8Kernels.DotRowsAvx2));
        }

        return paths;
    }

    private static DotRowsKernel Path(string path) => path switch
    {
        nameof(Int8Kernels.DotRowsAvxVnni) => (codes, firstRow, query, _, results) => Int8Kernels.DotRowsAvxVnni(codes, firstRow, query, results),
        nameof(Int8Kernels.DotRowsAvx512BW) => Int8Kernels.DotRowsAvx512BW,
        nameof(Int8Kernels.DotRowsAvx2) => Int8Kernels.DotRowsAvx2,
        nameof(Int8Kernels.DotRowsPortable) => (codes, firstRow, query, _, results) => Int8Kernels.DotRowsPortable(codes, firstRow, query, results),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "Unknown kernel path."),
    };

    // Scores the rows from firstRow (by default 2, so the rows before it must be skipped; the remaining row count is not
    // a multiple of four) and compares each with the scalar reference.
    private static void AssertDotRows(DotRowsKernel kernel, sbyte[] rows, sbyte[] query, int firstRow = 2)
    {
        int dimensions = query.Length;
        var results = new int[(rows.Length / dimensions) - firstRow];

        kernel(rows, firstRow, query, Widen(query), results);

        for (int r = 0; r < results.Length; r++)
        {
            Assert.Equal(Int8Kernels.Dot(rows.AsSpan((firstRow + r) * dimensions, dimensions), query), results[r]);
        }
    }

    private static (sbyte[] Rows, sbyte[] Query) RandomCodes(Random random, int rows, int dimensions)
    {
        var codes = new sbyte[rows * dimensions];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (sbyte)random.Next(-127, 128);
        }

        return (codes, Fill(dimensions, _ => (sbyte)random.Next(-127, 128)));
    }

    private static sbyte[] Fill(int length, Func<int, sbyte> value) => Enumerable.Range(0, length).Select(value).ToArray();

    private static short[] Widen(sbyte[] query)
    {
        var wide = new short[query.Length];
        Int8Kernels.Widen(query, wide);
        return wide;
    }
}
