using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// The store conformance suite over the in-memory store with an HNSW graph for every cosine collection. The suite's data
/// sets are smaller than efSearch, so the graph's beam holds every record and the approximate search must be exact; the
/// dot-product and Euclidean records keep the flat scan (the graph is cosine only).
/// </summary>
public sealed class InMemoryVectorStoreHnswConformanceTests : VectorStoreConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.Hnsw, Hnsw = new HnswOptions { M = 4, EfConstruction = 16 } });
}
