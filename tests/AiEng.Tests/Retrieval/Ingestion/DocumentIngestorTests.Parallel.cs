using AiEng.Providers;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Retrieval.Ingestion;

/// <summary>Embedding calls in parallel: the bound, document order, failures, cancellation and per-input limits.</summary>
public sealed partial class DocumentIngestorTests
{
    [Fact]
    public async Task Keeps_at_most_the_configured_calls_in_flight_and_commits_in_document_order_when_they_finish_out_of_order()
    {
        Document[] documents = [.. Enumerable.Range(0, 12).Select(i => Doc($"d{i:00}", $"text {i}"))];
        var probe = new ConcurrencyProbe(releaseAt: 3, totalCalls: 12);
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, probe.Generator, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1, MaxParallelEmbeddingRequests = 3 });
        var progress = new CollectingProgress<IngestionProgress>();

        IngestionResult result = await ingestor.IngestAsync(Stream(documents), progress: progress);

        Assert.Equal(3, probe.MaxInFlight);
        Assert.Equal(12, result.Added);
        Assert.Equal(documents.Select(d => d.Id), progress.Items.Where(p => p.Event == IngestionEvent.DocumentAdded).Select(p => p.DocumentId));
        Assert.All(collection.Records, r => Assert.Equal(Vector(r.Text, 4), r.Embedding.ToArray()));
    }

    [Fact]
    public async Task Takes_the_number_of_calls_in_flight_the_embedding_model_advises()
    {
        var probe = new ConcurrencyProbe(releaseAt: 2, totalCalls: 6);
        probe.Generator.GetServiceCallback = (type, _) => type == typeof(EmbeddingRequestLimits) ? new EmbeddingRequestLimits { MaxParallelRequests = 2 } : null;
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), probe.Generator, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 2 });

        await ingestor.IngestAsync(Stream(Doc("a", "1", "2", "3", "4", "5"), Doc("b", "6", "7", "8", "9", "10", "11", "12")));

        Assert.Equal(2, probe.MaxInFlight);
        Assert.Equal([2, 2, 2, 2, 2, 2], probe.Sizes);
    }

    [Fact]
    public async Task Sends_one_call_at_a_time_when_nothing_says_otherwise()
    {
        var probe = new ConcurrencyProbe(releaseAt: 1, totalCalls: 4);
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), probe.Generator, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1 });

        await ingestor.IngestAsync(Stream(Doc("a", "1", "2"), Doc("b", "3", "4")));

        Assert.Equal(1, probe.MaxInFlight);
    }

    [Fact]
    public async Task Keeps_a_staged_documents_chunks_in_order_with_calls_in_parallel()
    {
        using var staging = new TempDirectory();
        var probe = new ConcurrencyProbe(releaseAt: 3, totalCalls: 6);
        var collection = new FakeChunkCollection(atomic: false);
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = 2, MaxBufferedChunks = 3, MaxParallelEmbeddingRequests = 3, StagingDirectory = staging.Path, PageSize = 4 };
        var ingestor = new DocumentIngestor(collection, probe.Generator, new ParagraphChunker(), options);
        string[] lines = [.. Enumerable.Range(0, 11).Select(i => "line " + i)];

        await ingestor.IngestAsync(Stream(Doc("big", lines), Doc("small", "last")));

        Assert.Equal(lines, collection.RecordsOf("big").Select(r => r.Text));
        Assert.Equal(3, probe.MaxInFlight);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging.Path));
    }

    [Fact]
    public async Task A_failed_call_cancels_the_others_reports_its_own_failure_and_keeps_the_committed_documents()
    {
        int calls = 0;
        int cancelled = 0;
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = async (values, options, cancellationToken) =>
            {
                int call = Interlocked.Increment(ref calls);
                if (call == 5)
                {
                    throw new InvalidOperationException("Injected embedding failure.");
                }

                if (call >= 3)
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Interlocked.Increment(ref cancelled);
                        throw;
                    }
                }

                return await Embedder().GenerateAsync(values, options, cancellationToken);
            },
        };
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1, MaxParallelEmbeddingRequests = 3 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ingestor.IngestAsync(Stream([.. Enumerable.Range(1, 8).Select(i => Doc($"d{i}", $"text {i}"))])));

        Assert.Equal("Injected embedding failure.", ex.Message);
        Assert.Equal(2, cancelled);
        Assert.Equal(5, calls);
        Assert.Equal(["d1#0", "d2#0"], collection.Records.Select(Chunks.Label).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_the_calls_in_flight_and_writes_no_partial_document()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = async (values, options, cancellationToken) =>
            {
                if (Interlocked.Increment(ref calls) == 3)
                {
                    await cts.CancelAsync();
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("Not reached.");
            },
        };
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1, MaxParallelEmbeddingRequests = 4 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ingestor.IngestAsync(Stream(Doc("a", "1", "2"), Doc("b", "3", "4"), Doc("c", "5")), cancellationToken: cts.Token));

        Assert.Empty(collection.Records);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Names_the_document_and_chunk_of_an_input_over_the_models_per_input_limit()
    {
        IEmbeddingGenerator<string, Embedding<float>> limited = new EmbeddingGeneratorBuilder<string, Embedding<float>>(Embedder())
            .UseRequestLimits(new EmbeddingRequestLimits { MaxTokensPerInput = 3, TokenCounter = new WordTokenCounter() })
            .Build();
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, limited, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1 });

        IngestionException ex = await Assert.ThrowsAsync<IngestionException>(() =>
            ingestor.IngestAsync(Stream(Doc("a", "short"), Doc("b", "fine here", "one two three four"))));

        Assert.Equal(("b", 1), (ex.DocumentId, ex.ChunkIndex));
        Assert.StartsWith("Chunk 1 of document 'b' cannot be embedded: Input 0 of the embedding call has 4 tokens (words)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["a#0"], collection.Records.Select(Chunks.Label));
    }

    [Fact]
    public async Task Names_the_right_chunk_when_a_layer_in_between_forwards_only_some_of_the_batch()
    {
        IEmbeddingGenerator<string, Embedding<float>> limited = new EmbeddingGeneratorBuilder<string, Embedding<float>>(Embedder())
            .UseRequestLimits(new EmbeddingRequestLimits { MaxTokensPerInput = 3, TokenCounter = new WordTokenCounter() })
            .Build();

        // Like a cache that answers the first text itself and forwards the rest: the limiting layer's index is off by one.
        var cacheLike = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = async (values, options, cancellationToken) =>
            {
                string[] texts = [.. values];
                GeneratedEmbeddings<Embedding<float>> rest = await limited.GenerateAsync(texts.Skip(1), options, cancellationToken);
                return new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(Vector(texts[0], 4)), .. rest]);
            },
            GetServiceCallback = (type, key) => limited.GetService(type, key),
        };
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), cacheLike, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 3 });

        IngestionException ex = await Assert.ThrowsAsync<IngestionException>(() =>
            ingestor.IngestAsync(Stream(Doc("a", "ok", "fine too", "one two three four"))));

        Assert.Equal(("a", 2), (ex.DocumentId, ex.ChunkIndex));
    }

    [Fact]
    public void Rejects_a_parallel_limit_below_one()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DocumentIngestor(new FakeChunkCollection(atomic: true), Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { MaxParallelEmbeddingRequests = 0 }));

        Assert.Equal("MaxParallelEmbeddingRequests", ex.ParamName);
    }

    /// <summary>
    /// An embedder that records how many calls are in flight at most and the size of each; calls wait until
    /// <c>releaseAt</c> of them are waiting (or every expected call has started), then finish in reverse order.
    /// </summary>
    private sealed class ConcurrencyProbe
    {
        private readonly object _lock = new();
        private readonly List<TaskCompletionSource> _waiting = [];
        private int _inFlight;
        private int _started;

        public ConcurrencyProbe(int releaseAt, int totalCalls)
        {
            Generator = new TestEmbeddingGenerator
            {
                GenerateAsyncCallback = async (values, options, cancellationToken) =>
                {
                    string[] texts = [.. values];
                    var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    lock (_lock)
                    {
                        _inFlight++;
                        _started++;
                        MaxInFlight = Math.Max(MaxInFlight, _inFlight);
                        Sizes.Add(texts.Length);
                        _waiting.Add(turn);
                        if (_waiting.Count >= releaseAt || _started == totalCalls)
                        {
                            for (int i = _waiting.Count - 1; i >= 0; i--)
                            {
                                _waiting[i].SetResult();
                            }

                            _waiting.Clear();
                        }
                    }

                    await turn.Task.WaitAsync(cancellationToken);
                    lock (_lock)
                    {
                        _inFlight--;
                    }

                    return await Embedder().GenerateAsync(texts, options, cancellationToken);
                },
            };
        }

        public TestEmbeddingGenerator Generator { get; }

        public int MaxInFlight { get; private set; }

        public List<int> Sizes { get; } = [];
    }
}
