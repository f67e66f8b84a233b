using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Tenant filters through every retriever over the exact in-memory store.</summary>
public sealed class InMemoryAccessControlConformanceTests : AccessControlConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();
}
