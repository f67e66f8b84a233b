using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Ingestion and retrieval end to end over the exact in-memory store.</summary>
public sealed class InMemoryIngestionConformanceTests : IngestionConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();
}
