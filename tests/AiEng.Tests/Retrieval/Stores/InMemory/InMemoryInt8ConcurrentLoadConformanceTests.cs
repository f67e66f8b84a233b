using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Readers and a writer at once on the in-memory store with int8 quantisation.</summary>
public sealed class InMemoryInt8ConcurrentLoadConformanceTests : ConcurrentLoadConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { Quantization = VectorQuantization.Int8 });
}
