using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using AiEng.Inference;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// One ingestion run of a <see cref="DocumentIngestor"/>: it skips unchanged documents, embeds chunks in batches that
/// span documents, commits each document whole as soon as its last chunk is embedded, and collects loader issues.
/// </summary>
/// <remarks>
/// Commits happen in document order. A document is pending from its first queued chunk until its commit. Batches are sent
/// to the embedder as they fill, up to the parallel limit in flight, and applied strictly in the order they were sent, so
/// records reach their documents in chunk order and the pending documents complete as a prefix of the queue. Each
/// document's embedded records are bounded by <see cref="DocumentIngestorOptions.MaxBufferedChunks"/> before it is staged
/// on disk; the chunks waiting for embeddings are bounded by a batch per call in flight. Only the calls run concurrently:
/// all state of the run is changed on the run's own flow.
/// </remarks>
internal sealed class IngestionRun : IProgress<DocumentLoadIssue>, IFileListingObserver
{
    private readonly VectorStoreCollection<Guid, ChunkRecord> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly IChunker _chunker;
    private readonly DocumentIngestorOptions _settings;
    private readonly IngestionOptions _options;
    private readonly IProgress<IngestionProgress>? _progress;
    private readonly IAtomicRecordWriter<Guid, ChunkRecord>? _writer;
    private readonly ILogger _logger;

    private readonly List<(PendingDocument Pending, DocumentChunk Chunk)> _batch = [];
    private readonly Queue<InFlightBatch> _inFlight = new();
    private readonly int _maxParallel;
    private CancellationTokenSource? _batchCancellation;
    private readonly Queue<PendingDocument> _open = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keptSources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keptIds = new(StringComparer.Ordinal);
    private readonly List<DocumentLoadIssue> _issues = [];

    private readonly TimeProvider _time;
    private readonly IngestionRateEstimator _rate = new(IngestionRateEstimator.DefaultTimeConstant);

    private int? _dimensions;
    private int _added, _updated, _unchanged, _deleted, _skipped, _chunksEmbedded, _chunksWritten;
    private long _tokens;
    private long _started;

    // What the source yielded so far (documents, and inputs its loader skipped), and what a directory listing says is to come.
    private int _received;
    private int? _filesNotStarted;
    private bool _fileOpen;
    private int _fileUnits;

    public IngestionRun(
        VectorStoreCollection<Guid, ChunkRecord> collection,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IChunker chunker,
        DocumentIngestorOptions settings,
        IngestionOptions options,
        IProgress<IngestionProgress>? progress,
        ILogger logger)
    {
        _collection = collection;
        _generator = generator;
        _chunker = chunker;
        _settings = settings;
        _options = options;
        _progress = progress;
        _logger = logger;
        _time = settings.TimeProvider ?? TimeProvider.System;
        _maxParallel = settings.MaxParallelEmbeddingRequests ?? generator.GetService<EmbeddingRequestLimits>()?.MaxParallelRequests ?? 1;
        _writer = collection.GetService(typeof(IAtomicRecordWriter<Guid, ChunkRecord>)) as IAtomicRecordWriter<Guid, ChunkRecord>;
    }

    public async Task<IngestionResult> RunAsync(IAsyncEnumerable<Document> documents, CancellationToken cancellationToken)
    {
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.IngestionRun);
        activity?.SetTag(AiEngTelemetry.DataSourceId, _collection.Name);
        IngestionLog.Started(_logger, _collection.Name, _settings.EmbeddingBatchSize, _options.DeleteMissing, _options.ReindexUnchanged);
        _started = _time.GetTimestamp();
        _batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            await foreach (Document document in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                CountReceived();
                await IngestDocumentAsync(document, cancellationToken).ConfigureAwait(false);
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
            if (_options.DeleteMissing)
            {
                await DeleteMissingAsync(cancellationToken).ConfigureAwait(false);
            }

            IngestionResult result;
            lock (_issues)
            {
                result = new IngestionResult
                {
                    Added = _added,
                    Updated = _updated,
                    Unchanged = _unchanged,
                    Deleted = _deleted,
                    Skipped = _skipped,
                    Chunks = _chunksWritten,
                    EmbeddingTokens = _tokens,
                    Issues = [.. _issues],
                };
            }

            if (activity is not null)
            {
                activity.SetTag(AiEngTelemetry.IngestionAdded, result.Added);
                activity.SetTag(AiEngTelemetry.IngestionUpdated, result.Updated);
                activity.SetTag(AiEngTelemetry.IngestionUnchanged, result.Unchanged);
                activity.SetTag(AiEngTelemetry.IngestionDeleted, result.Deleted);
                activity.SetTag(AiEngTelemetry.IngestionSkipped, result.Skipped);
                activity.SetTag(AiEngTelemetry.IngestionChunks, result.Chunks);
                activity.SetTag(AiEngTelemetry.UsageInputTokens, result.EmbeddingTokens);
                activity.SetTag(AiEngTelemetry.IngestionIssues, result.Issues.Count);
            }

            IngestionLog.Completed(
                _logger, _collection.Name, _time.GetElapsedTime(_started).TotalMilliseconds,
                result.Added, result.Updated, result.Unchanged, result.Deleted, result.Skipped, result.Chunks, result.EmbeddingTokens, result.Issues.Count);
            return result;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            IngestionLog.Failed(_logger, ex, _collection.Name, _added, _updated);
            throw;
        }
        finally
        {
            await AbandonInFlightAsync().ConfigureAwait(false);
            _batchCancellation.Dispose();

            // Documents not committed (cancellation or failure) leave nothing behind but their staging files: remove them.
            foreach (PendingDocument pending in _open)
            {
                pending.Dispose();
            }
        }
    }

    /// <summary>Records a loader's issue; called by the loaders while the run enumerates their documents.</summary>
    public void Report(DocumentLoadIssue value)
    {
        if (value.IsSkipped)
        {
            // An input the loader skipped is one the source yielded but the run never receives as a document.
            CountReceived();
        }

        Record(value);
    }

    /// <inheritdoc />
    public void FilesListed(int count) => _filesNotStarted = count;

    /// <inheritdoc />
    public void FileStarted()
    {
        _filesNotStarted--;
        _fileOpen = true;
        _fileUnits = 0;
    }

    private void CountReceived()
    {
        _received++;
        _fileUnits++;
    }

    /// <summary>
    /// Gets the number of documents the run will go through, when known: those seen so far, plus one for each listed file not
    /// yet started and for the current file until it yields its first document, plus whatever the caller said to expect beyond.
    /// </summary>
    private int? DocumentsTotal()
    {
        int? total = _filesNotStarted is int files ? _received + files + (_fileOpen && _fileUnits == 0 ? 1 : 0) : null;
        if (_options.ExpectedDocumentCount is int expected)
        {
            total = Math.Max(total ?? _received, expected);
        }

        return total;
    }

    private void Record(DocumentLoadIssue value)
    {
        lock (_issues)
        {
            _issues.Add(value);
            if (value.IsSkipped)
            {
                _skipped++;
            }

            // A file that could not be read (or not to the end) says nothing about its documents: a sync keeps them.
            if (value.Kind is DocumentLoadIssueKind.Unreadable or DocumentLoadIssueKind.Malformed)
            {
                _keptSources.Add(value.Source);
                if (value.DocumentId is not null)
                {
                    _keptIds.Add(value.DocumentId);
                }
            }
        }

        if (value.IsSkipped)
        {
            IngestionLog.InputSkipped(_logger, value.Source, value.DocumentId, value.Kind, value.Message);
        }
        else
        {
            IngestionLog.Issue(_logger, value.Source, value.DocumentId, value.Kind, value.Message);
        }

        ReportProgress(value.IsSkipped ? IngestionEvent.DocumentSkipped : IngestionEvent.IssueReported, value.DocumentId, value);
    }

    private async Task IngestDocumentAsync(Document document, CancellationToken cancellationToken)
    {
        string id = document.Id;
        if (_seen.Contains(id))
        {
            // The same id again in one run: commit the earlier version first, so this one replaces it like any stored one.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        ChunkRecord? stored = await FindAnyChunkAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is not null && !_options.ReindexUnchanged && string.Equals(stored.ContentHash, document.ContentHash, StringComparison.Ordinal) && TagsAgree(stored, document))
        {
            _seen.Add(id);
            _unchanged++;
            IngestionLog.DocumentUnchanged(_logger, id);
            ReportProgress(IngestionEvent.DocumentUnchanged, id);
            return;
        }

        var pending = new PendingDocument(document, stored is not null, _settings.MaxBufferedChunks, _settings.StagingDirectory);
        foreach (DocumentChunk chunk in _chunker.Chunk(document))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pending.Queued == 0)
            {
                // Open only with a first chunk, so a document without chunks never sits among the documents awaiting commit.
                _open.Enqueue(pending);
            }

            _batch.Add((pending, chunk));
            pending.Queued++;
            if (_batch.Count >= _settings.EmbeddingBatchSize)
            {
                await DispatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        pending.Chunked = true;
        if (pending.Queued == 0)
        {
            pending.Dispose();
            Record(new DocumentLoadIssue(document.Source ?? id, DocumentLoadIssueKind.Empty, "The document has no text to chunk; it was skipped.") { DocumentId = id });
            return;
        }

        _seen.Add(id);
        await CommitCompletedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the queued chunks to the embedder, then applies batches in order until fewer than the parallel limit are in flight.</summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count > 0)
        {
            (PendingDocument Pending, DocumentChunk Chunk)[] items = [.. _batch];
            _batch.Clear();
            _inFlight.Enqueue(new InFlightBatch(items, EmbedAsync(items, _batchCancellation!.Token)));
        }

        while (_inFlight.Count >= _maxParallel || (_inFlight.Count > 0 && _inFlight.Peek().Embeddings.IsCompleted))
        {
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Embeds the queued chunks, waits for every batch in flight and commits the documents that are complete.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DispatchAsync(cancellationToken).ConfigureAwait(false);
        while (_inFlight.Count > 0)
        {
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        await CommitCompletedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One embedding call: the texts of a batch to the generator, checked; a failure cancels the other batches in flight.</summary>
    private async Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync((PendingDocument Pending, DocumentChunk Chunk)[] items, CancellationToken cancellationToken)
    {
        using Activity? activity = AiEngTelemetry.Start(AiEngTelemetry.IngestionBatch);
        activity?.SetTag(AiEngTelemetry.OperationName, AiEngTelemetry.EmbeddingsOperation);
        activity?.SetTag(AiEngTelemetry.DataSourceId, _collection.Name);
        activity?.SetTag(AiEngTelemetry.IngestionBatchChunks, items.Length);
        try
        {
            var texts = new string[items.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                texts[i] = items[i].Chunk.Text;
            }

            GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(texts, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document), cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != texts.Length)
            {
                throw new IngestionException(
                    $"The embedding generator returned {embeddings.Count} embeddings for {texts.Length} texts; it must return one embedding per text, in order.")
                {
                    DocumentId = items[0].Pending.Document.Id,
                    CollectionName = _collection.Name,
                };
            }

            activity?.SetTag(AiEngTelemetry.UsageInputTokens, embeddings.Usage?.InputTokenCount ?? 0);
            return embeddings;
        }
        catch (Exception ex) when (AiEngTelemetry.Fail(activity, ex))
        {
            throw; // Not reached: the filter only marks the span.
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The first failure stops the batches still in flight: their work would be thrown away anyway.
            _batchCancellation!.Cancel();
            if (ex is ModelRequestException { InputIndex: int index } rejected && FindRejected(items, index) is int found)
            {
                throw InputRejected(items[found], rejected);
            }

            throw;
        }
    }

    /// <summary>Waits for the oldest batch in flight and applies it; a failure is thrown as the first real failure among the batches.</summary>
    private async Task CompleteOldestAsync(CancellationToken cancellationToken)
    {
        InFlightBatch batch = _inFlight.Peek();
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await batch.Embeddings.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // This batch may only have been cancelled because a later one failed: report that failure, not the cancellation.
            Exception cause = await FirstFailureAsync(ex, cancellationToken).ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(cause);
            throw; // Not reached.
        }

        _ = _inFlight.Dequeue();
        (PendingDocument Pending, DocumentChunk Chunk)[] items = batch.Items;
        long tokens = embeddings.Usage?.InputTokenCount ?? 0;
        _tokens += tokens;
        IngestionLog.BatchEmbedded(_logger, items.Length, tokens);
        for (int i = 0; i < items.Length; i++)
        {
            (PendingDocument pending, DocumentChunk chunk) = items[i];
            ReadOnlyMemory<float> vector = embeddings[i].Vector;
            await CheckDimensionsAsync(vector.Length, pending.Document, cancellationToken).ConfigureAwait(false);
            CheckFinite(vector.Span, pending.Document, chunk);
            pending.Add(ChunkRecords.Create(pending.Document, chunk, vector, _settings.FilterableFields));
        }

        _chunksEmbedded += items.Length;
        ReportProgress(IngestionEvent.ChunksEmbedded, null);
        await CommitCompletedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every batch in flight and picks the failure to report: the caller's cancellation, else the first batch's own failure in order.</summary>
    private async Task<Exception> FirstFailureAsync(Exception first, CancellationToken cancellationToken)
    {
        Exception? cause = first is OperationCanceledException ? null : first;
        cause ??= await StopInFlightAsync().ConfigureAwait(false);
        return cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : cause ?? first;
    }

    /// <summary>Stops and waits for the batches still in flight when the run ends early (a failed commit, the caller's cancellation), so none outlives it.</summary>
    private async Task AbandonInFlightAsync()
    {
        if (_inFlight.Count > 0)
        {
            // The run is already failing or cancelled; its own exception is the one reported.
            _ = await StopInFlightAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Cancels the batches in flight, waits for each in order, and returns the first failure that is not a cancellation.</summary>
    private async Task<Exception?> StopInFlightAsync()
    {
        await _batchCancellation!.CancelAsync().ConfigureAwait(false);
        Exception? failure = null;
        while (_inFlight.Count > 0)
        {
            try
            {
                _ = await _inFlight.Dequeue().Embeddings.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped by the first failure or the caller.
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }

        return failure;
    }

    /// <summary>
    /// Finds the chunk of a batch that the embedder rejected as too long: the first one over the model's token limit, counted
    /// with the counter its limits name, since a layer in between (a cache that forwards only its misses) may have sent the
    /// limiting middleware a different list than the batch; else the index the embedder gave, when it is in the batch.
    /// </summary>
    private int? FindRejected((PendingDocument Pending, DocumentChunk Chunk)[] items, int index)
    {
        if (_generator.GetService<EmbeddingRequestLimits>() is { TokenCounter: { } counter } limits
            && Math.Min(limits.MaxTokensPerInput ?? int.MaxValue, limits.MaxTokensPerRequest ?? int.MaxValue) is int max and < int.MaxValue)
        {
            for (int i = 0; i < items.Length; i++)
            {
                if (counter.CountTokens(items[i].Chunk.Text) > max)
                {
                    return i;
                }
            }
        }

        return index >= 0 && index < items.Length ? index : null;
    }

    private IngestionException InputRejected((PendingDocument Pending, DocumentChunk Chunk) item, ModelRequestException rejected)
    {
        string id = item.Pending.Document.Id;
        return new IngestionException(
            string.Create(CultureInfo.InvariantCulture, $"Chunk {item.Chunk.Index} of document '{id}' cannot be embedded: {rejected.Message} Use a chunker with a smaller chunk size for this model."),
            rejected)
        {
            DocumentId = id,
            ChunkIndex = item.Chunk.Index,
            CollectionName = _collection.Name,
        };
    }

    private async Task CommitCompletedAsync(CancellationToken cancellationToken)
    {
        // Batches are first in, first out, so the documents ready to commit are a prefix of the open ones.
        while (_open.Count > 0 && _open.Peek().IsComplete)
        {
            PendingDocument pending = _open.Peek();
            try
            {
                await CommitAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _ = _open.Dequeue();
                pending.Dispose();
            }
        }
    }

    private async Task CommitAsync(PendingDocument pending, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string id = pending.Document.Id;
        IReadOnlyCollection<ChunkRecord> records = pending.GetRecords();
        List<Guid> stale = pending.Exists ? await FindKeysAsync(id, records.Count, cancellationToken).ConfigureAwait(false) : [];
        try
        {
            if (_writer is not null)
            {
                // One atomic step; the token may only cancel it before it commits.
                await _writer.ReplaceAsync(stale, records, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Without an atomic writer: new chunks first, stale ones after, so the document is never missing. Once
                // started, the write is not cancelled, so a cancelled run does not leave a half-written document.
                if (pending.IsStaged)
                {
                    foreach (ChunkRecord[] page in records.Chunk(_settings.PageSize))
                    {
                        await _collection.UpsertAsync(page, CancellationToken.None).ConfigureAwait(false);
                    }
                }
                else
                {
                    await _collection.UpsertAsync(records, CancellationToken.None).ConfigureAwait(false);
                }

                if (stale.Count > 0)
                {
                    await _collection.DeleteAsync(stale, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not IngestionException)
        {
            throw new IngestionException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot write the {records.Count} chunks of document '{id}' to the collection '{_collection.Name}': {ex.Message}"),
                ex)
            {
                DocumentId = id,
                CollectionName = _collection.Name,
            };
        }

        _chunksWritten += records.Count;
        if (pending.Exists)
        {
            _updated++;
        }
        else
        {
            _added++;
        }

        IngestionLog.DocumentCommitted(_logger, id, pending.Exists ? "updated" : "added", records.Count);
        ReportProgress(pending.Exists ? IngestionEvent.DocumentUpdated : IngestionEvent.DocumentAdded, id);
    }

    private async Task DeleteMissingAsync(CancellationToken cancellationToken)
    {
        // Read every document's first chunk before deleting anything, so that paging is not disturbed by the deletions.
        var missing = new List<string>();
        for (int skip = 0; ; skip += _settings.PageSize)
        {
            int read = 0;
            var options = new FilteredRecordRetrievalOptions<ChunkRecord> { Skip = skip };
            await foreach (ChunkRecord record in _collection.GetAsync(r => r.ChunkIndex == 0, _settings.PageSize, options, cancellationToken).ConfigureAwait(false))
            {
                read++;
                bool kept = _seen.Contains(record.DocumentId) || _keptIds.Contains(record.DocumentId) || (record.Source is not null && _keptSources.Contains(record.Source));
                if (!kept)
                {
                    missing.Add(record.DocumentId);
                }
            }

            if (read < _settings.PageSize)
            {
                break;
            }
        }

        foreach (string id in missing)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<Guid> keys = await FindKeysAsync(id, 0, cancellationToken).ConfigureAwait(false);
            if (_writer is not null)
            {
                await _writer.ReplaceAsync(keys, [], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _collection.DeleteAsync(keys, CancellationToken.None).ConfigureAwait(false);
            }

            _deleted++;
            IngestionLog.DocumentDeleted(_logger, id);
            ReportProgress(IngestionEvent.DocumentDeleted, id);
        }
    }

    /// <summary>
    /// Whether the stored chunk carries, for every filterable field, the tag the document's metadata gives it (or none when
    /// the document has no such key). The content hash covers the text only, so this is what notices a document moved to
    /// another tenant or group, or a field declared filterable since it was ingested: the document is then ingested again.
    /// A chunk whose own metadata overrides a filterable key may differ from its document and is re-ingested each run.
    /// </summary>
    private bool TagsAgree(ChunkRecord stored, Document document)
    {
        foreach (string field in _settings.FilterableFields)
        {
            string? expected = document.Metadata.TryGetValue(field, out string? value) ? ChunkRecord.CreateTag(field, value) : null;
            string? actual = stored.Tags.Find(tag => tag.Length > field.Length && tag[field.Length] == '=' && tag.StartsWith(field, StringComparison.Ordinal));
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads any one stored chunk of the document, or <see langword="null"/> when the collection has none.</summary>
    private async Task<ChunkRecord?> FindAnyChunkAsync(string id, CancellationToken cancellationToken)
    {
        await foreach (ChunkRecord record in _collection.GetAsync(r => r.DocumentId == id, 1, null, cancellationToken).ConfigureAwait(false))
        {
            return record;
        }

        return null;
    }

    /// <summary>Finds the keys of the document's stored chunks that a new version of <paramref name="keep"/> chunks does not overwrite.</summary>
    private async Task<List<Guid>> FindKeysAsync(string id, int keep, CancellationToken cancellationToken)
    {
        var keys = new List<Guid>();
        for (int skip = 0; ; skip += _settings.PageSize)
        {
            int read = 0;
            var options = new FilteredRecordRetrievalOptions<ChunkRecord> { Skip = skip };
            await foreach (ChunkRecord record in _collection.GetAsync(r => r.DocumentId == id, _settings.PageSize, options, cancellationToken).ConfigureAwait(false))
            {
                read++;
                bool overwritten = record.ChunkIndex >= 0 && record.ChunkIndex < keep
                    && record.Key == ChunkRecord.CreateKey(id, record.ChunkIndex);
                if (!overwritten)
                {
                    keys.Add(record.Key);
                }
            }

            if (read < _settings.PageSize)
            {
                return keys;
            }
        }
    }

    private async ValueTask CheckDimensionsAsync(int actual, Document document, CancellationToken cancellationToken)
    {
        if (_dimensions is null)
        {
            (int? expected, string holds) = _settings.Dimensions is int configured
                ? (configured, "is configured for")
                : DefinedDimensions() is int defined
                    ? (defined, "is defined with")
                    : (await StoredDimensionsAsync(cancellationToken).ConfigureAwait(false), "holds");
            if (expected is int size && size != actual)
            {
                throw Mismatch(size, actual, document, $"the collection '{_collection.Name}' {holds} {size}-dimension vectors");
            }

            _dimensions = actual;
        }
        else if (_dimensions != actual)
        {
            throw Mismatch(_dimensions.Value, actual, document, $"earlier embeddings of this run have {_dimensions} dimensions");
        }
    }

    /// <summary>
    /// Refuses an embedding holding NaN or an infinity: a failing model's output, which no similarity can use (every score
    /// against it is NaN), so it must not be written.
    /// </summary>
    private void CheckFinite(ReadOnlySpan<float> vector, Document document, DocumentChunk chunk)
    {
        if (FiniteVectors.DescribeNonFinite(vector) is { } problem)
        {
            throw new IngestionException(
                $"The embedding generator returned an embedding {problem} for chunk {chunk.Index.ToString(CultureInfo.InvariantCulture)} of document '{document.Id}'; " +
                "an embedding must hold finite numbers. Nothing of this document was written: check the embedding model and ingest again.")
            {
                DocumentId = document.Id,
                CollectionName = _collection.Name,
            };
        }
    }

    private IngestionException Mismatch(int expected, int actual, Document document, string reason) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"Embedding dimension mismatch for document '{document.Id}': expected {expected} dimensions, got {actual}; {reason}. " +
            $"Ingest with the embedding model the collection was filled with, or into a new collection created with ChunkRecord.CreateDefinition({actual})."))
        {
            DocumentId = document.Id,
            CollectionName = _collection.Name,
            ExpectedDimensions = expected,
            ActualDimensions = actual,
        };

    /// <summary>Gets the vector size of the collection's definition, when the collection exposes it through <c>GetService</c>.</summary>
    private int? DefinedDimensions() =>
        (_collection.GetService(typeof(VectorStoreCollectionDefinition)) as VectorStoreCollectionDefinition)?.Properties
            .OfType<VectorStoreVectorProperty>()
            .FirstOrDefault()?.Dimensions;

    /// <summary>Gets the vector size of any chunk already in the collection, or <see langword="null"/> when it is empty.</summary>
    private async Task<int?> StoredDimensionsAsync(CancellationToken cancellationToken)
    {
        string none = string.Empty;
        var options = new FilteredRecordRetrievalOptions<ChunkRecord> { IncludeVectors = true };
        await foreach (ChunkRecord record in _collection.GetAsync(r => r.DocumentId != none, 1, options, cancellationToken).ConfigureAwait(false))
        {
            return record.Embedding.Length > 0 ? record.Embedding.Length : null;
        }

        return null;
    }

    private void ReportProgress(IngestionEvent kind, string? documentId, DocumentLoadIssue? issue = null)
    {
        if (_progress is null)
        {
            return;
        }

        TimeSpan elapsed = _time.GetElapsedTime(_started);
        int done = _added + _updated + _unchanged + _skipped;
        int? total = DocumentsTotal();
        _rate.Observe(done, elapsed);
        _progress.Report(new IngestionProgress(kind, documentId)
        {
            Issue = issue,
            DocumentsCompleted = done + _deleted,
            DocumentsTotal = total,
            ChunksEmbedded = _chunksEmbedded,
            ChunksWritten = _chunksWritten,
            Elapsed = elapsed,
            EstimatedRemaining = total is int all ? _rate.EstimateRemaining(all - done) : null,
        });
    }
}
