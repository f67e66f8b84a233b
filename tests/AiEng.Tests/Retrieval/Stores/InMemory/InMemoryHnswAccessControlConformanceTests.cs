using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Tenant filters through every retriever over the in-memory store with an HNSW graph: the 80 chunks exceed efSearch (32),
/// so the dense side filters inside the graph walk.
/// </summary>
public sealed class InMemoryHnswAccessControlConformanceTests : AccessControlConformanceTests
{
    protected override VectorStore CreateStore() =>
        new InMemoryVectorStore(new InMemoryVectorStoreOptions { DefaultIndexKind = IndexKind.Hnsw, Hnsw = new HnswOptions { M = 4, EfConstruction = 16, EfSearch = 32 } });
}
