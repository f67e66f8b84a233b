using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Readers and a writer at once on the in-memory store with an HNSW graph: the batch of 1,100 records is built in five
/// steps, with the readers' searches between them.
/// </summary>
public sealed class InMemoryHnswConcurrentLoadConformanceTests : ConcurrentLoadConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.Hnsw, Hnsw = new HnswOptions { M = 8, EfConstruction = 32, EfSearch = 32 } });
}
