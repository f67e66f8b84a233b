using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>The store conformance suite over the exact in-memory store.</summary>
public sealed class InMemoryVectorStoreConformanceTests : VectorStoreConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();
}
