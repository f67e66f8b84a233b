using System.Diagnostics;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// BM25 keyword retrieval over <see cref="ChunkRecord"/>s, built from records in memory or read
/// from any Microsoft.Extensions.VectorData collection, and rebuildable when the records change.
/// </summary>
/// <remarks>
/// Searches are thread-safe and lock-free. <see cref="Rebuild"/> and <see cref="RefreshAsync"/> build a new index and swap
/// it in at once, so a search running meanwhile sees either the old or the new records, never a mix. Scores are BM25
/// scores; chunks that share no term with the query are never returned.
/// </remarks>
public sealed class KeywordRetriever : IRetriever
{
    private readonly KeywordRetrieverOptions _options;
    private readonly string[] _filterableFields;
    private readonly VectorStoreCollection<Guid, ChunkRecord>? _collection;
    private volatile Snapshot _snapshot;

    /// <summary>Initializes a new instance of the <see cref="KeywordRetriever"/> class over <paramref name="records"/>.</summary>
    /// <param name="records">The records to index; keys must be unique.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two records have the same key, a key is empty, or an option is out of range.</exception>
    public KeywordRetriever(IEnumerable<ChunkRecord> records, KeywordRetrieverOptions? options = null)
        : this(collection: null, (options ?? new KeywordRetrieverOptions()).Validate())
    {
        _snapshot = Build(Throw.IfNull(records));
    }

    private KeywordRetriever(VectorStoreCollection<Guid, ChunkRecord>? collection, KeywordRetrieverOptions options)
    {
        _collection = collection;
        _options = options;
        _filterableFields = [.. options.FilterableFields];
        _snapshot = Snapshot.Empty;
    }

    /// <summary>Gets the number of indexed records.</summary>
    public int Count => _snapshot.Index.Count;

    /// <summary>Reads every record of <paramref name="collection"/> and indexes them.</summary>
    /// <param name="collection">The collection; <see cref="RefreshAsync"/> reads it again later.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token that cancels loading.</param>
    /// <returns>The retriever.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The collection holds <see cref="KeywordRetrieverOptions.MaxRecords"/> records or more.</exception>
    /// <exception cref="VectorStoreException">The collection failed to read.</exception>
    public static async Task<KeywordRetriever> LoadAsync(
        VectorStoreCollection<Guid, ChunkRecord> collection,
        KeywordRetrieverOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(collection);
        var retriever = new KeywordRetriever(collection, (options ?? new KeywordRetrieverOptions()).Validate());
        await retriever.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return retriever;
    }

    /// <summary>Replaces the indexed records with <paramref name="records"/>.</summary>
    /// <param name="records">The records to index; keys must be unique.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two records have the same key, or a key is empty.</exception>
    public void Rebuild(IEnumerable<ChunkRecord> records) => _snapshot = Build(Throw.IfNull(records));

    /// <summary>Reads the collection the retriever was loaded from again and replaces the index.</summary>
    /// <param name="cancellationToken">A token that cancels loading.</param>
    /// <returns>A task that completes when the new index is in place.</returns>
    /// <exception cref="InvalidOperationException">
    /// The retriever was built from records rather than loaded from a collection, or the collection holds
    /// <see cref="KeywordRetrieverOptions.MaxRecords"/> records or more.
    /// </exception>
    /// <exception cref="VectorStoreException">The collection failed to read.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (_collection is null)
        {
            throw new InvalidOperationException($"This {nameof(KeywordRetriever)} was built from records, not loaded from a collection; call {nameof(Rebuild)} with the new records instead.");
        }

        var records = new List<ChunkRecord>();
        var retrieval = new FilteredRecordRetrievalOptions<ChunkRecord> { IncludeVectors = false };
        await foreach (var record in _collection.GetAsync(static _ => true, _options.MaxRecords, retrieval, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        if (records.Count >= _options.MaxRecords)
        {
            throw new InvalidOperationException(
                $"The collection '{_collection.Name}' returned {records.Count} records, the limit {nameof(KeywordRetrieverOptions)}.{nameof(KeywordRetrieverOptions.MaxRecords)}, so it may hold more; raise the limit to index all of them.");
        }

        _snapshot = Build(records);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The request's <see cref="RetrievalRequest.Filter"/> (compiled once per expression instance) and
    /// <see cref="RetrievalRequest.MetadataFilter"/> (checked on <see cref="ChunkRecord.Tags"/>) are evaluated on each BM25
    /// candidate, once per candidate, before the top chunks are chosen.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The metadata filter names a key not in <see cref="KeywordRetrieverOptions.FilterableFields"/>.</exception>
    public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        ChunkFilters.CheckDeclared(request.MetadataFilter, _filterableFields, nameof(KeywordRetriever));
        (string query, int top) = (request.Query, request.Top);
        cancellationToken.ThrowIfCancellationRequested();
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.RetrievalKeyword);
        var snapshot = _snapshot;
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            if (_collection is not null)
            {
                activity.SetTag(AiEngTelemetry.DataSourceId, _collection.Name);
            }

            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, ChunkFilters.IsFiltered(request));
            activity.SetTag(AiEngTelemetry.RetrievalIndexedChunks, snapshot.Index.Count);
        }

        try
        {
            IReadOnlyList<RetrievedChunk> chunks = request.MetadataFilter is { MatchesNothing: true }
                ? []
                : snapshot.Index.Search(query, top, Include(request, snapshot)).Select(hit => new RetrievedChunk(snapshot.Records[hit.Id], hit.Score)).ToArray();
            activity?.SetTag(AiEngTelemetry.RetrievalResults, chunks.Count);
            return Task.FromResult(chunks);
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }

    /// <summary>Returns the test a candidate (by index ordinal) must pass for <paramref name="request"/>, or <see langword="null"/> for none.</summary>
    private static Func<int, bool>? Include(RetrievalRequest request, Snapshot snapshot)
    {
        Func<ChunkRecord, bool>? filter = request.Filter is null ? null : ChunkFilters.Compile(request.Filter);
        MetadataFilter? metadata = request.MetadataFilter is { Conditions.Count: > 0 } conditions ? conditions : null;
        return (filter, metadata) switch
        {
            (null, null) => null,
            ({ } f, null) => ordinal => f(snapshot.Ordered[ordinal]),
            (null, { } m) => ordinal => m.Matches(snapshot.Ordered[ordinal]),
            ({ } f, { } m) => ordinal => m.Matches(snapshot.Ordered[ordinal]) && f(snapshot.Ordered[ordinal]),
        };
    }

    private Snapshot Build(IEnumerable<ChunkRecord> records)
    {
        var builder = new Bm25IndexBuilder(_options.Bm25);
        var byKey = new Dictionary<string, ChunkRecord>(StringComparer.Ordinal);
        var ordered = new List<ChunkRecord>();
        foreach (var record in records)
        {
            Throw.IfNull(record, nameof(records));
            if (record.Key == Guid.Empty)
            {
                throw new ArgumentException($"A record of document '{record.DocumentId}' (chunk {record.ChunkIndex}) has an empty key; set it with {nameof(ChunkRecord)}.{nameof(ChunkRecord.CreateKey)}.", nameof(records));
            }

            string id = record.Key.ToString();
            if (!byKey.TryAdd(id, record))
            {
                throw new ArgumentException($"Two records have the key '{record.Key}' (the second is chunk {record.ChunkIndex} of document '{record.DocumentId}'); record keys must be unique.", nameof(records));
            }

            ordered.Add(record);
            builder.Add(id, _options.IndexTitle && !string.IsNullOrEmpty(record.Title) ? record.Title + " " + record.Text : record.Text);
        }

        return new Snapshot(builder.Build(), byKey, [.. ordered]);
    }

    /// <summary>An index and its records, by key and in the index's order; replaced whole, so a search sees one consistent state.</summary>
    private sealed record Snapshot(Bm25Index Index, Dictionary<string, ChunkRecord> Records, ChunkRecord[] Ordered)
    {
        public static Snapshot Empty { get; } = new(new Bm25IndexBuilder().Build(), [], []);
    }
}
