using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Tests.Retrieval;

/// <summary>
/// A tiny in-memory MEVD collection of <see cref="ChunkRecord"/>s for tests: exact cosine search with filters applied by
/// compiling the expression, and it records the options it was called with.
/// </summary>
internal sealed class FakeChunkCollection : VectorStoreCollection<Guid, ChunkRecord>
{
    private readonly Dictionary<Guid, ChunkRecord> _records = [];

    public FakeChunkCollection(IEnumerable<ChunkRecord> records)
    {
        foreach (var record in records)
        {
            _records[record.Key] = record;
        }
    }

    public override string Name => "fake";

    public VectorSearchOptions<ChunkRecord>? LastSearchOptions { get; private set; }

    public int LastGetTop { get; private set; }

    public static async Task<FakeChunkCollection> CreateAsync(IEmbeddingGenerator<string, Embedding<float>> generator, params ChunkRecord[] records)
    {
        var embeddings = await generator.GenerateAsync(records.Select(r => r.Text));
        for (int i = 0; i < records.Length; i++)
        {
            records[i].Embedding = embeddings[i].Vector;
        }

        return new FakeChunkCollection(records);
    }

    public void Add(ChunkRecord record) => _records[record.Key] = record;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(_records.GetValueOrDefault(key));

    public override async IAsyncEnumerable<ChunkRecord> GetAsync(Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LastGetTop = top;
        var predicate = filter.Compile();
        foreach (var record in _records.Values.Where(predicate).Take(top))
        {
            await Task.Yield();
            yield return record;
        }
    }

    public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default)
    {
        _records.Remove(key);
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default)
    {
        _records[record.Key] = record;
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            _records[record.Key] = record;
        }

        return Task.CompletedTask;
    }

    public override async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LastSearchOptions = options;
        var query = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new NotSupportedException($"The fake collection cannot search by {typeof(TInput)}."),
        };
        var predicate = options?.Filter?.Compile() ?? (_ => true);
        var results = _records.Values
            .Where(predicate)
            .Select(r => new VectorSearchResult<ChunkRecord>(r, TensorPrimitives.CosineSimilarity(query.Span, r.Embedding.Span)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Record.Key)
            .Take(top);
        foreach (var result in results)
        {
            await Task.Yield();
            yield return result;
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) => null;
}
