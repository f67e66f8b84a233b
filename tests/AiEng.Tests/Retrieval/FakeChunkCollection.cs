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
internal sealed class FakeChunkCollection : VectorStoreCollection<Guid, ChunkRecord>, IKeywordSearchable<ChunkRecord>, IKeywordHybridSearchable<ChunkRecord>
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

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        (serviceType == typeof(IKeywordSearchable<ChunkRecord>) && SearchesKeywords) || (serviceType == typeof(IKeywordHybridSearchable<ChunkRecord>) && SearchesHybrid) ? this : null;

    /// <summary>Gets or sets whether GetService offers <see cref="IKeywordSearchable{TRecord}"/>.</summary>
    public bool SearchesKeywords { get; set; }

    /// <summary>Gets or sets whether GetService offers MEVD's <see cref="IKeywordHybridSearchable{TRecord}"/>.</summary>
    public bool SearchesHybrid { get; set; }

    public List<string> KeywordQueries { get; } = [];

    public KeywordSearchOptions<ChunkRecord>? LastKeywordOptions { get; private set; }

    public ICollection<string>? LastKeywords { get; private set; }

    public HybridSearchOptions<ChunkRecord>? LastHybridOptions { get; private set; }

    /// <summary>Scores a record by how many of the query's words its text contains (a stand-in for a store's BM25).</summary>
    public async IAsyncEnumerable<VectorSearchResult<ChunkRecord>> KeywordSearchAsync(string query, int top, KeywordSearchOptions<ChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KeywordQueries.Add(query);
        LastKeywordOptions = options;
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var predicate = options?.Filter?.Compile() ?? (_ => true);
        var results = _records.Values
            .Where(predicate)
            .Select(r => new VectorSearchResult<ChunkRecord>(r, words.Count(w => r.Text.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Record.Key)
            .Take(top);
        foreach (var result in results)
        {
            await Task.Yield();
            yield return result;
        }
    }

    /// <summary>Records the keywords and options, and answers with the vector search.</summary>
    public IAsyncEnumerable<VectorSearchResult<ChunkRecord>> HybridSearchAsync<TInput>(TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        LastKeywords = keywords;
        LastHybridOptions = options;
        return SearchAsync(searchValue, top, new VectorSearchOptions<ChunkRecord> { Filter = options?.Filter }, cancellationToken);
    }
}
