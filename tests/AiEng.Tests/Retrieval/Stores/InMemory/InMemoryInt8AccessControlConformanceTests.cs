using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Tenant filters through every retriever over the in-memory store with int8 quantisation.</summary>
public sealed class InMemoryInt8AccessControlConformanceTests : AccessControlConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { Quantization = VectorQuantization.Int8, RescoreMultiplier = 1 });
}
