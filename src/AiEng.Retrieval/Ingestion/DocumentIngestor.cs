using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Loads, chunks, embeds and stores documents in any MEVD collection of <see cref="ChunkRecord"/>s, incrementally: an
/// unchanged document is skipped, a changed one has its chunks replaced whole, and a sync deletes the documents the source
/// no longer has.
/// </summary>
/// <remarks>
/// <para>
/// <b>Incremental.</b> Every chunk carries its document's <see cref="Document.ContentHash"/>. Before embedding a document
/// the ingestor reads one stored chunk of it (a filter on <see cref="ChunkRecord.DocumentId"/>, top 1); the same hash
/// means the document is unchanged and costs nothing more. With <see cref="IngestionOptions.DeleteMissing"/> the run ends
/// by deleting the documents the source did not yield.
/// </para>
/// <para>
/// <b>Batches and commits.</b> Chunks are embedded <see cref="DocumentIngestorOptions.EmbeddingBatchSize"/> at a time,
/// batches spanning documents, up to <see cref="DocumentIngestorOptions.MaxParallelEmbeddingRequests"/> calls in flight at
/// once (by default what the model advises: 4 for OpenAI, 1 for the local ONNX model); results are applied in document
/// order whatever order the calls finish in, and each document is committed on its own as soon as its last chunk is embedded. When the
/// collection offers an <see cref="IAtomicRecordWriter{TKey, TRecord}"/> (through <c>GetService</c>), a commit deletes the
/// document's stale chunks and upserts its new ones in one atomic step, so readers and crashes see the old version or the
/// new one, never a mix. Over other collections the new chunks are upserted first and the stale ones deleted after: the
/// document is never missing, but a search in between may see chunks of both versions, and a crash in between leaves the
/// stale chunks until the next run replaces them.
/// </para>
/// <para>
/// <b>Cancellation and failure.</b> The token is checked between commits, passed to the embedding calls and to an atomic
/// writer, which may cancel only before it commits; a non-atomic commit, once started, is not cancelled. The first failed
/// embedding call cancels the others in flight and is the exception the run throws. So a cancelled or failed run leaves every
/// committed document intact and no partial one; the documents after it are simply not ingested yet (run again). A chunk
/// over the embedding model's per-input token limit (<c>EmbeddingRequestLimits</c>) fails the run with an
/// <see cref="IngestionException"/> naming the document and chunk, rather than being truncated.
/// </para>
/// <para>
/// <b>Memory.</b> Chunkers are lazy, so chunks are produced one batch ahead of the embedder. A document's embedded chunks
/// are held in memory up to <see cref="DocumentIngestorOptions.MaxBufferedChunks"/>; beyond that they are staged in a
/// temporary file and committed from it (an atomic writer receives them as one lazily read collection; otherwise they are
/// upserted a page at a time). Memory is bounded by a batch for each call in flight plus that bound, whatever the size of
/// the document, beyond the document text itself.
/// </para>
/// <para>
/// <b>Progress.</b> Each report carries the running totals, the time elapsed and, when the number of documents is known
/// (a directory's listing, or <see cref="IngestionOptions.ExpectedDocumentCount"/>), an estimate of the time remaining from a
/// smoothed rate (see <see cref="IngestionProgress.EstimatedRemaining"/>).
/// </para>
/// <para>
/// <b>Issues.</b> The overloads that take a loader forward its <see cref="DocumentLoadIssue"/>s (binary, unreadable,
/// empty, invalid UTF-8, malformed) into <see cref="IngestionResult.Issues"/> and the progress, and go on. A document the
/// chunker yields no chunk for is skipped and reported as <see cref="DocumentLoadIssueKind.Empty"/>.
/// </para>
/// <para>
/// <b>Dimensions.</b> The first embedding's size is checked before anything is written, against
/// <see cref="DocumentIngestorOptions.Dimensions"/>, the collection's definition (when the collection returns its
/// <see cref="VectorStoreCollectionDefinition"/> from <c>GetService</c>) or the vectors already stored; a mismatch throws
/// <see cref="IngestionException"/> naming both sizes. Otherwise the store's own check applies and its failure is wrapped
/// in an <see cref="IngestionException"/> naming the document.
/// </para>
/// <para>
/// <b>Telemetry.</b> A run is a span <c>aieng.ingestion.run</c> on the activity source <c>AiEng</c>, with a child span
/// <c>aieng.ingestion.batch</c> per embedding call; both carry counts, never text (docs/observability.md).
/// </para>
/// <para>Runs on one instance may overlap only on different documents; the instance holds no state between runs.</para>
/// </remarks>
public sealed class DocumentIngestor
{
    private readonly VectorStoreCollection<Guid, ChunkRecord> _collection;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly IChunker _chunker;
    private readonly DocumentIngestorOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="DocumentIngestor"/> class.</summary>
    /// <param name="collection">The collection to fill; it is created if it does not exist.</param>
    /// <param name="embeddingGenerator">Embeds the chunks; wrap it with <c>UseDiskCache</c> so that re-indexing unchanged text costs nothing.</param>
    /// <param name="chunker">Splits the documents.</param>
    /// <param name="options">Batch sizes and bounds; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <param name="logger">Receives each run's start and end with its counts (Information), skipped inputs (Warning) and per-document and per-batch details (Debug); <see langword="null"/> for none. Document text is never logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/>, <paramref name="embeddingGenerator"/> or <paramref name="chunker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size in <paramref name="options"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The staging directory in <paramref name="options"/> is empty or whitespace.</exception>
    public DocumentIngestor(
        VectorStoreCollection<Guid, ChunkRecord> collection,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IChunker chunker,
        DocumentIngestorOptions? options = null,
        ILogger? logger = null)
    {
        _collection = Throw.IfNull(collection);
        _embeddingGenerator = Throw.IfNull(embeddingGenerator);
        _chunker = Throw.IfNull(chunker);
        _options = (options ?? new DocumentIngestorOptions()).ValidateAndClone();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Ingests documents that are already loaded.</summary>
    /// <param name="documents">The documents. Their loader's issues are not seen here; use a loader overload to have them in the result.</param>
    /// <param name="options">Sync and re-index options; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <param name="progress">Receives a report for every document, batch and issue, with the running totals, the elapsed time and, when the total is known, an estimate of the time remaining; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run between commits.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="IngestionOptions.ExpectedDocumentCount"/> in <paramref name="options"/> is negative.</exception>
    /// <exception cref="IngestionException">A document cannot be written (dimension mismatch, store failure); earlier documents stay committed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; committed documents stay, no partial one is written.</exception>
    public Task<IngestionResult> IngestAsync(
        IAsyncEnumerable<Document> documents, IngestionOptions? options = null, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(documents);
        return CreateRun(options, progress).RunAsync(documents, cancellationToken);
    }

    /// <summary>Loads and ingests the documents of one source, reporting the loader's issues in the result.</summary>
    /// <param name="loader">The loader of the source's format.</param>
    /// <param name="source">The source.</param>
    /// <param name="options">Sync and re-index options; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <param name="progress">Receives a report for every document, batch and issue, with the running totals, the elapsed time and, when the total is known, an estimate of the time remaining; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run between commits.</param>
    /// <returns>What the run did. A source that cannot be read, or is malformed, is reported in <see cref="IngestionResult.Issues"/>; the documents before the problem are ingested.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="IngestionOptions.ExpectedDocumentCount"/> in <paramref name="options"/> is negative.</exception>
    /// <exception cref="IngestionException">A document cannot be written (dimension mismatch, store failure); earlier documents stay committed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; committed documents stay, no partial one is written.</exception>
    public Task<IngestionResult> IngestSourceAsync(
        IDocumentLoader loader, DocumentSource source, IngestionOptions? options = null, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(loader);
        Throw.IfNull(source);
        IngestionRun run = CreateRun(options, progress);
        return run.RunAsync(LoadReportingAsync(loader, source, run, cancellationToken), cancellationToken);
    }

    /// <summary>Loads and ingests every matching file under a directory, reporting skipped files and repaired text in the result.</summary>
    /// <param name="loader">The directory loader (globs and per-extension loaders).</param>
    /// <param name="rootDirectory">The directory to ingest.</param>
    /// <param name="options">Sync and re-index options; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <param name="progress">Receives a report for every document, batch and issue, with the running totals, the elapsed time and, when the total is known, an estimate of the time remaining; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run between commits.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> or <paramref name="rootDirectory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is empty or whitespace.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="rootDirectory"/> does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="IngestionOptions.ExpectedDocumentCount"/> in <paramref name="options"/> is negative.</exception>
    /// <exception cref="IngestionException">A document cannot be written (dimension mismatch, store failure); earlier documents stay committed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; committed documents stay, no partial one is written.</exception>
    public Task<IngestionResult> IngestDirectoryAsync(
        DirectoryDocumentLoader loader, string rootDirectory, IngestionOptions? options = null, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(loader);
        IngestionRun run = CreateRun(options, progress);
        IAsyncEnumerable<Document> documents = loader.LoadAsync(rootDirectory, run, cancellationToken);
        return run.RunAsync(documents, cancellationToken);
    }

    private IngestionRun CreateRun(IngestionOptions? options, IProgress<IngestionProgress>? progress) =>
        new(_collection, _embeddingGenerator, _chunker, _options, (options ?? new IngestionOptions()).ValidateAndClone(), progress, _logger);

    /// <summary>Enumerates a loader's documents; a source that cannot be read or is malformed ends the enumeration with an issue instead of an exception.</summary>
    private static async IAsyncEnumerable<Document> LoadReportingAsync(
        IDocumentLoader loader, DocumentSource source, IngestionRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<Document> documents = loader.LoadAsync(source, run, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (documents.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await documents.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (DocumentLoadException ex)
                {
                    run.Report(SourceText.ToIssue(ex, source.Name, ex.Message + " The rest of the source was skipped."));
                    yield break;
                }

                yield return documents.Current;
            }
        }
    }
}
