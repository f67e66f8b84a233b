using System.Diagnostics;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// BM25 keyword retrieval over <see cref="ChunkRecord"/>s, built from records in memory or read
/// from any Microsoft.Extensions.VectorData collection, and changed record by record when the records change.
/// </summary>
/// <remarks>
/// Searches are thread-safe and lock-free. <see cref="Apply"/> and <see cref="RefreshKeysAsync"/>
/// change the index incrementally (only the changed records are analysed; statistics are exact, so scores equal a
/// rebuild's); <see cref="Rebuild"/> and <see cref="RefreshAsync"/> replace it whole. Every change is
/// swapped in at once, so a search running meanwhile sees either the old or the new records, never a mix. Scores are
/// BM25 scores; chunks that share no term with the query are never returned.
/// </remarks>
public sealed class KeywordRetriever : IRetriever
{
    private readonly KeywordRetrieverOptions _options;
    private readonly string[] _filterableFields;
    private readonly VectorStoreCollection<Guid, ChunkRecord>? _collection;
    private readonly Lock _writeLock = new();
    private volatile Bm25Index<ChunkRecord> _index;

    /// <summary>Initializes a new instance of the <see cref="KeywordRetriever"/> class over <paramref name="records"/>.</summary>
    /// <param name="records">The records to index; keys must be unique.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two records have the same key, a key is empty, or an option is out of range.</exception>
    public KeywordRetriever(IEnumerable<ChunkRecord> records, KeywordRetrieverOptions? options = null)
        : this(collection: null, (options ?? new KeywordRetrieverOptions()).Validate())
    {
        _index = Build(Throw.IfNull(records));
    }

    private KeywordRetriever(VectorStoreCollection<Guid, ChunkRecord>? collection, KeywordRetrieverOptions options)
    {
        _collection = collection;
        _options = options;
        _filterableFields = [.. options.FilterableFields];
        _index = Bm25Index<ChunkRecord>.Empty((options.Bm25 ?? new Bm25Options()).Validate());
    }

    /// <summary>Gets the number of indexed records.</summary>
    public int Count => _index.Count;

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
    public void Rebuild(IEnumerable<ChunkRecord> records)
    {
        var index = Build(Throw.IfNull(records));
        lock (_writeLock)
        {
            _index = index;
        }
    }

    /// <summary>
    /// Changes the index in place of a rebuild: removes <paramref name="deletedKeys"/>, then adds or replaces
    /// <paramref name="upsertedRecords"/>. Only the upserted records are analysed, and the result ranks and scores every
    /// record exactly as an index rebuilt from the same records would.
    /// </summary>
    /// <param name="upsertedRecords">The records to add or replace (by key); when a key repeats, the last record wins.</param>
    /// <param name="deletedKeys">The keys to remove; keys not in the index are ignored.</param>
    /// <exception cref="ArgumentNullException">An argument or a record is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record's key is empty.</exception>
    /// <remarks>A search running meanwhile sees the index before or after the whole change, never part of it.</remarks>
    public void Apply(IEnumerable<ChunkRecord> upsertedRecords, IEnumerable<Guid> deletedKeys)
    {
        var upserts = Throw.IfNull(upsertedRecords).Select(record => Entry(Checked(record, nameof(upsertedRecords)))).ToList();
        var deletes = Throw.IfNull(deletedKeys).Select(key => key.ToString()).ToList();
        lock (_writeLock)
        {
            _index = _index.Apply(upserts, deletes);
        }
    }

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
        var collection = LoadedCollection();
        var records = new List<ChunkRecord>();
        var retrieval = new FilteredRecordRetrievalOptions<ChunkRecord> { IncludeVectors = false };
        await foreach (var record in collection.GetAsync(static _ => true, _options.MaxRecords, retrieval, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        if (records.Count >= _options.MaxRecords)
        {
            throw new InvalidOperationException(
                $"The collection '{collection.Name}' returned {records.Count} records, the limit {nameof(KeywordRetrieverOptions)}.{nameof(KeywordRetrieverOptions.MaxRecords)}, so it may hold more; raise the limit to index all of them.");
        }

        Rebuild(records);
    }

    /// <summary>
    /// Reads only the records of <paramref name="changedKeys"/> from the collection the retriever was loaded from and applies
    /// them (<see cref="Apply"/>): a key the collection holds is added or replaced, a key it no longer holds is removed.
    /// </summary>
    /// <param name="changedKeys">The keys written (upserted or deleted) since the index last saw the collection.</param>
    /// <param name="cancellationToken">A token that cancels loading; the index is unchanged when it does.</param>
    /// <returns>A task that completes when the changed index is in place.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="changedKeys"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The retriever was built from records rather than loaded from a collection.</exception>
    /// <exception cref="VectorStoreException">The collection failed to read.</exception>
    /// <remarks>
    /// Call it after the writes completed. Two refreshes of the same keys running at once may apply in either order; call
    /// them one at a time (as <c>AddRetrieval</c>'s retriever does).
    /// </remarks>
    public async Task RefreshKeysAsync(IEnumerable<Guid> changedKeys, CancellationToken cancellationToken = default)
    {
        var keys = Throw.IfNull(changedKeys).Distinct().ToList();
        var collection = LoadedCollection();
        if (keys.Count == 0)
        {
            return;
        }

        var present = new List<ChunkRecord>(keys.Count);
        await foreach (var record in collection.GetAsync(keys, new RecordRetrievalOptions { IncludeVectors = false }, cancellationToken).ConfigureAwait(false))
        {
            present.Add(record);
        }

        var found = present.Select(record => record.Key).ToHashSet();
        Apply(present, keys.Where(key => !found.Contains(key)));
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
        var index = _index;
        if (activity is not null)
        {
            activity.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.RetrievalOperation);
            if (_collection is not null)
            {
                activity.SetTag(AiEngTelemetry.DataSourceId, _collection.Name);
            }

            activity.SetTag(AiEngTelemetry.RetrievalTopK, top);
            activity.SetTag(AiEngTelemetry.RetrievalFiltered, ChunkFilters.IsFiltered(request));
            activity.SetTag(AiEngTelemetry.RetrievalIndexedChunks, index.Count);
        }

        try
        {
            IReadOnlyList<RetrievedChunk> chunks = request.MetadataFilter is { MatchesNothing: true }
                ? []
                : index.Search(query, top, Include(request)).Select(hit => new RetrievedChunk(hit.Document, hit.Score)).ToArray();
            activity?.SetTag(AiEngTelemetry.RetrievalResults, chunks.Count);
            return Task.FromResult(chunks);
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
    }

    /// <summary>Returns the test a candidate must pass for <paramref name="request"/>, or <see langword="null"/> for none.</summary>
    private static Func<ChunkRecord, bool>? Include(RetrievalRequest request)
    {
        Func<ChunkRecord, bool>? filter = request.Filter is null ? null : ChunkFilters.Compile(request.Filter);
        MetadataFilter? metadata = request.MetadataFilter is { Conditions.Count: > 0 } conditions ? conditions : null;
        return (filter, metadata) switch
        {
            (null, null) => null,
            ({ } f, null) => f,
            (null, { } m) => m.Matches,
            ({ } f, { } m) => record => m.Matches(record) && f(record),
        };
    }

    private static ChunkRecord Checked(ChunkRecord record, string paramName)
    {
        Throw.IfNull(record, paramName);
        if (record.Key == Guid.Empty)
        {
            throw new ArgumentException($"A record of document '{record.DocumentId}' (chunk {record.ChunkIndex}) has an empty key; set it with {nameof(ChunkRecord)}.{nameof(ChunkRecord.CreateKey)}.", paramName);
        }

        return record;
    }

    private VectorStoreCollection<Guid, ChunkRecord> LoadedCollection() => _collection ?? throw new InvalidOperationException(
        $"This {nameof(KeywordRetriever)} was built from records, not loaded from a collection; call {nameof(Rebuild)} or {nameof(Apply)} with the new records instead.");

    /// <summary>The id, indexed text and payload of a record.</summary>
    private (string Id, string Text, ChunkRecord Document) Entry(ChunkRecord record) =>
        (record.Key.ToString(), _options.IndexTitle && !string.IsNullOrEmpty(record.Title) ? record.Title + " " + record.Text : record.Text, record);

    private Bm25Index<ChunkRecord> Build(IEnumerable<ChunkRecord> records)
    {
        var builder = new Bm25IndexBuilder<ChunkRecord>(_options.Bm25);
        var keys = new HashSet<Guid>();
        foreach (var record in records)
        {
            Checked(record, nameof(records));
            if (!keys.Add(record.Key))
            {
                throw new ArgumentException($"Two records have the key '{record.Key}' (the second is chunk {record.ChunkIndex} of document '{record.DocumentId}'); record keys must be unique.", nameof(records));
            }

            var (id, text, document) = Entry(record);
            builder.Add(id, text, document);
        }

        return builder.Build();
    }
}
