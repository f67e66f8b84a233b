using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Readers and a writer at once on the exact in-memory store.</summary>
public sealed class InMemoryConcurrentLoadConformanceTests : ConcurrentLoadConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();
}
