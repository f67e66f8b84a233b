using System.Linq.Expressions;
using AiEng.Retrieval;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>
/// Maps <see cref="ChunkRecord"/> to <see cref="TenantChunk"/>: the metadata keys <c>tenant</c> and <c>group</c> become
/// typed fields, and filters on their tags become equality on those fields.
/// </summary>
public sealed class TenantChunkMapper : ChunkRecordMapper<TenantChunk>
{
    private const string TenantKey = "tenant";
    private const string GroupKey = "group";

    /// <inheritdoc/>
    public override VectorStoreCollectionDefinition CreateDefinition(int dimensions) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(TenantChunk.Id), typeof(Guid)),
            new VectorStoreDataProperty(nameof(TenantChunk.Document), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(TenantChunk.Position), typeof(int)),
            new VectorStoreDataProperty(nameof(TenantChunk.Body), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(TenantChunk.Title), typeof(string)),
            new VectorStoreDataProperty(nameof(TenantChunk.Source), typeof(string)),
            new VectorStoreDataProperty(nameof(TenantChunk.Start), typeof(int)),
            new VectorStoreDataProperty(nameof(TenantChunk.End), typeof(int)),
            new VectorStoreDataProperty(nameof(TenantChunk.Hash), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(TenantChunk.Metadata), typeof(string)),
            new VectorStoreDataProperty(nameof(TenantChunk.Tenant), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(TenantChunk.Group), typeof(string)) { IsIndexed = true },
            new VectorStoreVectorProperty(nameof(TenantChunk.Vector), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
        ],
    };

    /// <inheritdoc/>
    public override TenantChunk ToRecord(ChunkRecord chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return new TenantChunk
        {
            Id = chunk.Key,
            Document = chunk.DocumentId,
            Position = chunk.ChunkIndex,
            Body = chunk.Text,
            Title = chunk.Title,
            Source = chunk.Source,
            Start = chunk.StartOffset,
            End = chunk.EndOffset,
            Hash = chunk.ContentHash,
            Metadata = chunk.Metadata,
            Tenant = TagValue(chunk, TenantKey),
            Group = TagValue(chunk, GroupKey),
            Vector = chunk.Embedding,
        };
    }

    /// <inheritdoc/>
    public override ChunkRecord ToChunk(TenantChunk record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var chunk = new ChunkRecord
        {
            Key = record.Id,
            DocumentId = record.Document,
            ChunkIndex = record.Position,
            Text = record.Body,
            Title = record.Title,
            Source = record.Source,
            StartOffset = record.Start,
            EndOffset = record.End,
            ContentHash = record.Hash,
            Metadata = record.Metadata,
            Embedding = record.Vector,
        };
        if (record.Tenant is not null)
        {
            chunk.Tags.Add(ChunkRecord.CreateTag(TenantKey, record.Tenant));
        }

        if (record.Group is not null)
        {
            chunk.Tags.Add(ChunkRecord.CreateTag(GroupKey, record.Group));
        }

        return chunk;
    }

    /// <inheritdoc/>
    public override LambdaExpression? MapProperty(string chunkProperty) => chunkProperty switch
    {
        nameof(ChunkRecord.DocumentId) => Member(record => record.Document),
        nameof(ChunkRecord.ChunkIndex) => Member(record => record.Position),
        nameof(ChunkRecord.ContentHash) => Member(record => record.Hash),
        nameof(ChunkRecord.Source) => Member(record => record.Source),
        _ => null,
    };

    /// <inheritdoc/>
    public override Expression<Func<TenantChunk, bool>>? MapTag(string key, string value) => key switch
    {
        TenantKey => record => record.Tenant == value,
        GroupKey => record => record.Group == value,
        _ => null,
    };

    private static string? TagValue(ChunkRecord chunk, string key) =>
        chunk.Tags.Find(tag => tag.StartsWith(key + "=", StringComparison.Ordinal)) is { } tag ? tag[(key.Length + 1)..] : null;
}
