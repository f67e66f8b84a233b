using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>Ingestion and retrieval end to end over the in-memory store holding the application's own record type (<see cref="TenantChunk"/>).</summary>
public sealed class InMemoryMappedIngestionConformanceTests : IngestionConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }
}
