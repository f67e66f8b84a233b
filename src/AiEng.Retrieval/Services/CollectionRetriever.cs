using System.Diagnostics;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiEng.Retrieval;

/// <summary>
/// The <see cref="IRetriever"/> registered by <c>AddRetrieval</c>: dense, keyword or hybrid retrieval over one collection.
/// It creates the collection when missing before the first search, reads the collection into its keyword index once, and
/// then applies to the index the records written through the collection since, read back by key.
/// </summary>
/// <remarks>
/// So documents ingested by the registered <see cref="DocumentIngestor"/> are found by the next retrieval, without a
/// restart and without reading the whole collection again. Changes are applied lazily, at the first retrieval after a
/// write, never during one: concurrent retrievals wait for one update and share it. Deleting the collection through the
/// wrapper makes the next retrieval read it whole again. When the collection searches keywords itself
/// (<see cref="IKeywordSearchable{TRecord}"/>), the keyword side runs in the store (<see cref="StoreKeywordRetriever"/>) and no
/// index is kept in memory; when it offers MEVD's <c>IKeywordHybridSearchable</c> (as the PostgreSQL store does), hybrid
/// retrieval runs in the store, fused there (<see cref="StoreHybridRetriever"/>), and the fusion options do not apply.
/// </remarks>
internal sealed class CollectionRetriever : IRetriever
{
    private readonly ChangeTrackingCollection _collection;
    private readonly IRetriever? _dense;
    private readonly bool _keywordEnabled;
    private readonly RetrieverKind _kind;
    private readonly KeywordRetrieverOptions _keywordOptions;
    private readonly HybridRetrieverOptions? _fusion;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ChangeFeed? _changes;
    private readonly IRetriever? _storeRetriever;
    private IRetriever? _retriever;
    private KeywordRetriever? _keyword;

    /// <summary>Initializes a new instance of the <see cref="CollectionRetriever"/> class.</summary>
    /// <param name="collection">The collection to search.</param>
    /// <param name="kind">The kind of retrieval.</param>
    /// <param name="embeddingGenerator">Embeds queries for dense retrieval; unused (may be <see langword="null"/>) for keyword retrieval.</param>
    /// <param name="filterableFields">The metadata keys requests may filter on (<see cref="RetrievalServiceOptions.FilterableFields"/>).</param>
    /// <param name="fusion">How hybrid retrieval fuses the keyword and dense rankings (weights in that order); <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives each retrieval's start and end (Debug) and keyword index loads (Information); <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A filterable field is empty or contains <c>=</c>.</exception>
    public CollectionRetriever(
        ChangeTrackingCollection collection,
        RetrieverKind kind,
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator,
        IEnumerable<string>? filterableFields = null,
        HybridRetrieverOptions? fusion = null,
        ILogger? logger = null)
    {
        _collection = Throw.IfNull(collection);
        _fusion = fusion;
        _kind = kind;
        _logger = logger ?? NullLogger.Instance;
        _keywordOptions = new KeywordRetrieverOptions { FilterableFields = [.. filterableFields ?? []] };
        _ = _keywordOptions.Validate();
        var storeOptions = new VectorStoreRetrieverOptions { FilterableFields = _keywordOptions.FilterableFields };
        if (kind != RetrieverKind.Keyword)
        {
            _dense = new VectorStoreRetriever(collection, Throw.IfNull(embeddingGenerator), storeOptions);
        }

        // A collection (or the one behind the wrapper, which passes GetService on) that fuses hybrid search itself (MEVD's
        // IKeywordHybridSearchable, as the PostgreSQL store's does in one SQL statement) runs hybrid retrieval in the store.
        // One that ranks keywords itself keeps its keyword index in the store: no index in memory, nothing to follow.
        if (kind == RetrieverKind.Hybrid && StoreHybridRetriever.Find(collection) is not null)
        {
            _storeRetriever = new StoreHybridRetriever(collection, embeddingGenerator!, storeOptions);
        }
        else if (kind != RetrieverKind.Dense && StoreKeywordRetriever.Find(collection) is not null)
        {
            var keyword = new StoreKeywordRetriever(collection, storeOptions);
            _storeRetriever = _dense is null ? keyword : new HybridRetriever([keyword, _dense], _fusion);
        }

        _keywordEnabled = kind != RetrieverKind.Dense && _storeRetriever is null;
        _changes = _keywordEnabled ? collection.Subscribe() : null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        long started = Stopwatch.GetTimestamp();
        RetrievalLog.Started(_logger, _kind, _collection.Name, request.Top, ChunkFilters.IsFiltered(request));
        var retriever = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var chunks = await retriever.RetrieveAsync(request, cancellationToken).ConfigureAwait(false);
        RetrievalLog.Completed(_logger, _kind, _collection.Name, chunks.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return chunks;
    }

    private async ValueTask<IRetriever> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _retriever) is { } ready && _changes is not { HasChanges: true })
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_retriever is null)
            {
                await _collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_changes is not null && (_keyword is null || _changes.HasChanges))
            {
                await UpdateKeywordIndexAsync(_changes, cancellationToken).ConfigureAwait(false);
            }

            if (_retriever is null)
            {
                IRetriever created = _storeRetriever ?? (_keyword, _dense) switch
                {
                    ({ } keyword, { } dense) => new HybridRetriever([keyword, dense], _fusion),
                    ({ } keyword, null) => keyword,
                    _ => _dense!,
                };
                Volatile.Write(ref _retriever, created);
            }

            return _retriever;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads the keyword index the first time, then applies the changes recorded since; nothing is lost when it fails.</summary>
    private async Task UpdateKeywordIndexAsync(ChangeFeed changes, CancellationToken cancellationToken)
    {
        // Drained before reading, so a write that lands during the read is applied next time.
        var drained = changes.Drain();
        try
        {
            if (_keyword is null)
            {
                _keyword = await KeywordRetriever.LoadAsync(_collection, _keywordOptions, cancellationToken).ConfigureAwait(false);
                RetrievalLog.KeywordIndexLoaded(_logger, _collection.Name, _keyword.Count, _collection.Version);
            }
            else if (drained.Reset)
            {
                await _keyword.RefreshAsync(cancellationToken).ConfigureAwait(false);
                RetrievalLog.KeywordIndexLoaded(_logger, _collection.Name, _keyword.Count, _collection.Version);
            }
            else
            {
                await _keyword.RefreshKeysAsync(drained.Keys, cancellationToken).ConfigureAwait(false);
                RetrievalLog.KeywordIndexUpdated(_logger, _collection.Name, drained.Keys.Count, _keyword.Count);
            }
        }
        catch
        {
            changes.Restore(drained);
            throw;
        }
    }
}
