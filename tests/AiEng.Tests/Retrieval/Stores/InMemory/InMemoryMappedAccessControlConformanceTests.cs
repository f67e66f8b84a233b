using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Tenant filters through every retriever over the in-memory store holding the application's own record type
/// (<see cref="TenantChunk"/>, through <see cref="TenantChunkMapper"/>): the tenant filter becomes equality on a typed field.
/// </summary>
public sealed class InMemoryMappedAccessControlConformanceTests : AccessControlConformanceTests
{
    protected override VectorStore CreateStore() => new InMemoryVectorStore();

    protected override VectorStoreCollection<Guid, ChunkRecord> GetChunkCollection(VectorStore store, string name, int dimensions)
    {
        var mapper = new TenantChunkMapper();
        return mapper.MapCollection(store.GetCollection<Guid, TenantChunk>(name, mapper.CreateDefinition(dimensions)));
    }

    protected override AiEngBuilder AddRetrieval(AiEngBuilder builder) => builder.AddRetrieval(new TenantChunkMapper());
}
