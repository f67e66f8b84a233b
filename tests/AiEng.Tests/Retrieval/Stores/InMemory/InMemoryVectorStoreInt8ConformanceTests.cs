using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>The store conformance suite over the in-memory store with int8 quantisation and the smallest rescoring.</summary>
public sealed class InMemoryVectorStoreInt8ConformanceTests : VectorStoreConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { Quantization = VectorQuantization.Int8, RescoreMultiplier = 1 });
}
