namespace AiEng.Onnx.Tests;

/// <summary>The embedded MiniLM loaded once per test class in the variants the pooling and prefix tests compare, each created when first used.</summary>
public sealed class MiniLmVariantsFixture : IDisposable
{
    private readonly Lazy<OnnxEmbeddingGenerator> _cls = new(() => Create(new() { Pooling = PoolingMode.Cls }));
    private readonly Lazy<OnnxEmbeddingGenerator> _clsRaw = new(() => Create(new() { Pooling = PoolingMode.Cls, Normalize = false }));
    private readonly Lazy<OnnxEmbeddingGenerator> _meanRaw = new(() => Create(new() { Normalize = false }));
    private readonly Lazy<OnnxEmbeddingGenerator> _e5Style = new(() => Create(new() { QueryPrefix = "query: ", DocumentPrefix = "passage: " }));

    /// <summary>Gets a generator that pools the [CLS] token and normalizes.</summary>
    public OnnxEmbeddingGenerator Cls => _cls.Value;

    /// <summary>Gets a generator that pools the [CLS] token and does not normalize.</summary>
    public OnnxEmbeddingGenerator ClsRaw => _clsRaw.Value;

    /// <summary>Gets a generator that mean-pools and does not normalize.</summary>
    public OnnxEmbeddingGenerator MeanRaw => _meanRaw.Value;

    /// <summary>Gets a generator with e5's prefixes, <c>query: </c> and <c>passage: </c>.</summary>
    public OnnxEmbeddingGenerator E5Style => _e5Style.Value;

    public void Dispose()
    {
        foreach (var generator in (Lazy<OnnxEmbeddingGenerator>[])[_cls, _clsRaw, _meanRaw, _e5Style])
        {
            if (generator.IsValueCreated)
            {
                generator.Value.Dispose();
            }
        }
    }

    private static OnnxEmbeddingGenerator Create(OnnxEmbeddingGeneratorOptions options)
    {
        options.BatchSize = 4;
        options.IntraOpThreads = 2;
        return new OnnxEmbeddingGenerator(options);
    }
}
