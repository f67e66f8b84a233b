using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Retrieval.Ingestion;

/// <summary>Progress totals, elapsed time and the estimated time remaining, on a fake clock.</summary>
public sealed partial class DocumentIngestorTests
{
    [Fact]
    public async Task Reports_a_directorys_total_from_its_listing_and_estimates_the_time_remaining()
    {
        using var directory = new TempDirectory();
        foreach (string name in new[] { "a", "b", "c", "d" })
        {
            directory.WriteText(name + ".txt", "line of " + name);
        }

        directory.WriteText("notes.xyz", "unsupported");
        DocumentIngestor ingestor = ClockedIngestor(new FakeTimeProvider(), TimeSpan.FromSeconds(2));
        var progress = new CollectingProgress<IngestionProgress>();

        await ingestor.IngestDirectoryAsync(new DirectoryDocumentLoader(), directory.Path, progress: progress);

        IngestionProgress[] added = [.. progress.Items.Where(p => p.Event == IngestionEvent.DocumentAdded)];
        Assert.All(progress.Items, p => Assert.Equal(5, p.DocumentsTotal));
        Assert.Equal([1, 2, 3, 4], added.Select(p => p.DocumentsCompleted));
        Assert.Equal([2, 4, 6, 8], added.Select(p => (int)p.Elapsed.TotalSeconds));

        // One document every two seconds: no estimate from the first alone, then the remaining documents at that pace.
        Assert.Equal([null, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2)], added.Select(p => p.EstimatedRemaining));
        IngestionProgress last = progress.Items[^1];
        Assert.Equal((IngestionEvent.DocumentSkipped, 5, TimeSpan.Zero), (last.Event, last.DocumentsCompleted, last.EstimatedRemaining));
    }

    [Fact]
    public async Task Raises_a_directorys_total_as_a_file_of_several_documents_is_read()
    {
        using var directory = new TempDirectory();
        directory.WriteText("a.jsonl", "{\"id\":\"r1\",\"text\":\"one\"}\n{\"id\":\"r2\",\"text\":\"two\"}\n{\"id\":\"r3\",\"text\":\"three\"}\n");
        directory.WriteText("b.txt", "last");
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1 });
        var progress = new CollectingProgress<IngestionProgress>();

        await ingestor.IngestDirectoryAsync(new DirectoryDocumentLoader(), directory.Path, progress: progress);

        Assert.Equal(
            [("r1", 2), ("r2", 3), ("r3", 4), ("b.txt", 4)],
            progress.Items.Where(p => p.Event == IngestionEvent.DocumentAdded).Select(p => (p.DocumentId!, p.DocumentsTotal!.Value)));
    }

    [Fact]
    public async Task Leaves_the_total_and_estimate_unknown_for_a_source_that_is_not_counted()
    {
        DocumentIngestor ingestor = ClockedIngestor(new FakeTimeProvider(), TimeSpan.FromSeconds(1));
        var progress = new CollectingProgress<IngestionProgress>();

        await ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("b", "two"), Doc("c", "three")), progress: progress);

        Assert.All(progress.Items, p => Assert.Null(p.DocumentsTotal));
        Assert.All(progress.Items, p => Assert.Null(p.EstimatedRemaining));
        Assert.Equal(TimeSpan.FromSeconds(3), progress.Items[^1].Elapsed);
        Assert.Contains("remaining unknown", progress.Items[^1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Takes_the_total_of_a_counted_source_from_the_options_and_raises_it_when_the_source_yields_more()
    {
        DocumentIngestor ingestor = ClockedIngestor(new FakeTimeProvider(), TimeSpan.FromSeconds(1));
        var progress = new CollectingProgress<IngestionProgress>();

        await ingestor.IngestAsync(
            Stream(Doc("a", "one"), Doc("b", "two"), Doc("c", "three"), Doc("d", "four")), new IngestionOptions { ExpectedDocumentCount = 3 }, progress);

        IngestionProgress[] added = [.. progress.Items.Where(p => p.Event == IngestionEvent.DocumentAdded)];
        Assert.Equal([3, 3, 3, 4], added.Select(p => p.DocumentsTotal!.Value));
        Assert.Equal([null, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.Zero], added.Select(p => p.EstimatedRemaining));
        Assert.Equal("DocumentAdded b (2/3 documents, 2 chunks embedded, 2 written; elapsed 0:02, remaining 0:01)", added[1].ToString());
    }

    [Fact]
    public void Rejects_a_negative_expected_document_count()
    {
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), Embedder(), new ParagraphChunker());

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = ingestor.IngestAsync(Stream(), new IngestionOptions { ExpectedDocumentCount = -1 }); });
        Assert.Contains("ExpectedDocumentCount", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>An ingestor timed by <paramref name="clock"/>, embedding one chunk a call, each call taking <paramref name="perCall"/> on the clock.</summary>
    private static DocumentIngestor ClockedIngestor(FakeTimeProvider clock, TimeSpan perCall)
    {
        TestEmbeddingGenerator inner = Embedder();
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, options, cancellationToken) =>
            {
                clock.Advance(perCall);
                return inner.GenerateAsync(values, options, cancellationToken);
            },
        };
        return new DocumentIngestor(
            new FakeChunkCollection(atomic: true), embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1, TimeProvider = clock });
    }
}
