using System.Text;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Retrieval.Ingestion;

public sealed partial class DocumentIngestorTests
{
    [Fact]
    public async Task Writes_one_record_per_chunk_with_the_documents_fields()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var chunker = new ParagraphChunker { HeadingPath = ["Guide", "Install"], Page = 3 };
        var ingestor = new DocumentIngestor(collection, Embedder(), chunker);
        Document document = Doc("a", "first line", "second one");

        IngestionResult result = await ingestor.IngestAsync(Stream(document));

        Assert.Equal(1, result.Added);
        Assert.Equal(2, result.Chunks);
        Assert.Equal(2, result.EmbeddingTokens);
        ChunkRecord[] records = collection.RecordsOf("a");
        Assert.Equal(["a#0", "a#1"], records.Select(Chunks.Label).Order(StringComparer.Ordinal));
        Assert.Equal(["first line", "second one"], records.Select(r => r.Text));
        Assert.All(records, r =>
        {
            Assert.Equal("Title of a", r.Title);
            Assert.Equal("a.txt", r.Source);
            Assert.Equal("Guide > Install", r.HeadingPath);
            Assert.Equal(3, r.Page);
            Assert.Equal(document.ContentHash, r.ContentHash);
            Assert.Equal(r.Text, document.Text[r.StartOffset..r.EndOffset]);
            Assert.Equal(Vector(r.Text, 4), r.Embedding.ToArray());
        });
    }

    [Fact]
    public async Task Skips_an_unchanged_document_without_embedding_it()
    {
        var collection = new FakeChunkCollection(atomic: true);
        TestEmbeddingGenerator embedder = Embedder();
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker());
        await ingestor.IngestAsync(Stream(Doc("a", "one", "two"), Doc("b", "three")));
        int calls = embedder.CallCount;

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("a", "one", "two"), Doc("b", "three")));

        Assert.Equal(2, result.Unchanged);
        Assert.Equal(0, result.Added + result.Updated + result.Chunks);
        Assert.Equal(calls, embedder.CallCount);
        Assert.Equal(2, collection.Replacements.Count);
    }

    [Fact]
    public async Task Reindexes_unchanged_documents_when_asked()
    {
        var collection = new FakeChunkCollection(atomic: true);
        TestEmbeddingGenerator embedder = Embedder();
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker());
        await ingestor.IngestAsync(Stream(Doc("a", "one")));

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("a", "one")), new IngestionOptions { ReindexUnchanged = true });

        Assert.Equal(1, result.Updated);
        Assert.Equal(2, embedder.CallCount);
    }

    [Fact]
    public async Task Replaces_the_chunks_of_a_changed_document_in_one_atomic_step()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        await ingestor.IngestAsync(Stream(Doc("a", "one", "two", "three")));

        Document changed = Doc("a", "only one now");
        IngestionResult result = await ingestor.IngestAsync(Stream(changed));

        Assert.Equal(1, result.Updated);
        (IReadOnlyList<Guid> deleted, int upserted) = collection.Replacements[^1];
        Assert.Equal(Chunks.KeysOf("a#1", "a#2").Order(), deleted.Order());
        Assert.Equal(1, upserted);
        ChunkRecord record = Assert.Single(collection.Records);
        Assert.Equal("only one now", record.Text);
        Assert.Equal(changed.ContentHash, record.ContentHash);
        Assert.Equal(0, collection.UpsertCalls + collection.DeleteCalls);
    }

    [Fact]
    public async Task Replaces_a_changed_document_without_an_atomic_writer_by_upserting_then_deleting_the_stale_chunks()
    {
        var collection = new FakeChunkCollection(atomic: false);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        await ingestor.IngestAsync(Stream(Doc("a", "one", "two", "three")));

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("a", "new one", "new two")));

        Assert.Equal(1, result.Updated);
        Assert.Equal(["new one", "new two"], collection.RecordsOf("a").Select(r => r.Text));
        Assert.Equal(2, collection.UpsertCalls);
        Assert.Equal(1, collection.DeleteCalls);
    }

    [Fact]
    public async Task Embeds_in_batches_that_span_documents_but_commits_each_document_on_its_own()
    {
        var collection = new FakeChunkCollection(atomic: false);
        var batches = new List<int>();
        var ingestor = new DocumentIngestor(collection, Embedder(batches), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 4 });
        Document[] documents = [.. Enumerable.Range(0, 5).Select(i => Doc($"d{i}", $"first of {i}", $"second of {i}"))];

        IngestionResult result = await ingestor.IngestAsync(Stream(documents));

        Assert.Equal([4, 4, 2], batches);
        Assert.Equal(5, result.Added);
        Assert.Equal(10, result.Chunks);
        Assert.Equal(5, collection.UpsertCalls);
        Assert.All(documents, d => Assert.Equal(2, collection.RecordsOf(d.Id).Length));
    }

    [Fact]
    public async Task Deletes_the_documents_missing_from_the_source_when_syncing()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        await ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("b", "two", "three"), Doc("c", "four")));

        IngestionResult kept = await ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("c", "four")));
        Assert.Equal(0, kept.Deleted);
        Assert.Equal(2, collection.RecordsOf("b").Length);

        var progress = new CollectingProgress<IngestionProgress>();
        IngestionResult synced = await ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("c", "four")), new IngestionOptions { DeleteMissing = true }, progress);

        Assert.Equal(1, synced.Deleted);
        Assert.Equal(2, synced.Unchanged);
        Assert.Empty(collection.RecordsOf("b"));
        Assert.Equal(["a#0", "c#0"], collection.Records.Select(Chunks.Label).Order(StringComparer.Ordinal));
        Assert.Contains(progress.Items, p => p.Event == IngestionEvent.DocumentDeleted && p.DocumentId == "b");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_write_leaves_the_earlier_documents_committed_and_nothing_of_the_failed_one(bool atomic)
    {
        var collection = new FakeChunkCollection(atomic) { FailOnWrite = 2 };
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 16 });

        IngestionException error = await Assert.ThrowsAsync<IngestionException>(() =>
            ingestor.IngestAsync(Stream(Doc("a", "1", "2"), Doc("b", "3", "4", "5"), Doc("c", "6"))));

        Assert.Equal("b", error.DocumentId);
        Assert.Equal("chunks", error.CollectionName);
        Assert.Contains("Injected failure", error.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(2, collection.RecordsOf("a").Length);
        Assert.Empty(collection.RecordsOf("b"));
        Assert.Empty(collection.RecordsOf("c"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancellation_between_commits_leaves_every_committed_document_whole_and_no_partial_one(bool atomic)
    {
        var collection = new FakeChunkCollection(atomic);
        using var cts = new CancellationTokenSource();
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 3 });
        var progress = new CollectingProgress<IngestionProgress>();
        var cancelling = new CallbackProgress(p =>
        {
            progress.Report(p);
            if (p.Event == IngestionEvent.DocumentAdded && p.DocumentId == "b")
            {
                cts.Cancel();
            }
        });
        Document[] documents = [Doc("a", "1", "2"), Doc("b", "3", "4"), Doc("c", "5", "6"), Doc("d", "7", "8")];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ingestor.IngestAsync(Stream(documents), null, cancelling, cts.Token));

        // The batch [1,2,3] commits a; [4,5,6] commits b (then the token is cancelled) and holds the first half of c.
        Assert.Equal(2, collection.RecordsOf("a").Length);
        Assert.Equal(2, collection.RecordsOf("b").Length);
        Assert.Empty(collection.RecordsOf("c"));
        Assert.Empty(collection.RecordsOf("d"));

        // Running again completes the rest and leaves the committed documents alone.
        IngestionResult rerun = await ingestor.IngestAsync(Stream(documents));
        Assert.Equal(2, rerun.Unchanged);
        Assert.Equal(2, rerun.Added);
    }

    [Fact]
    public async Task Cancellation_during_embedding_writes_no_partial_document()
    {
        var collection = new FakeChunkCollection(atomic: true);
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var embedder = Embedder(onCall: () =>
        {
            if (++calls == 2)
            {
                cts.Cancel();
                cts.Token.ThrowIfCancellationRequested();
            }
        });
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 2 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ingestor.IngestAsync(Stream(Doc("a", "1", "2", "3"), Doc("b", "4")), cancellationToken: cts.Token));

        Assert.Empty(collection.Records);
    }

    [Fact]
    public async Task Writes_the_document_and_chunk_metadata_and_the_tags_of_the_filterable_fields()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var chunker = new ParagraphChunker
        {
            Metadata = index => index == 1 ? new Dictionary<string, string> { ["lang"] = "de", ["window"] = "first line\nsecond one" } : new Dictionary<string, string>(),
        };
        var options = new DocumentIngestorOptions { FilterableFields = ["tenant", "lang", "tenant", "missing"] };
        var ingestor = new DocumentIngestor(collection, Embedder(), chunker, options);
        var document = new Document("a", "first line\nsecond one")
        {
            Metadata = new Dictionary<string, string> { ["tenant"] = "acme", ["lang"] = "en", ["format"] = "text" },
        };

        await ingestor.IngestAsync(Stream(document));

        ChunkRecord[] records = collection.RecordsOf("a");
        Assert.Equal(
            new Dictionary<string, string> { ["tenant"] = "acme", ["lang"] = "en", ["format"] = "text" },
            records[0].GetMetadata());
        Assert.Equal(
            new Dictionary<string, string> { ["tenant"] = "acme", ["format"] = "text", ["lang"] = "de", ["window"] = "first line\nsecond one" },
            records[1].GetMetadata());
        Assert.Equal(["tenant=acme", "lang=en"], records[0].Tags);
        Assert.Equal(["tenant=acme", "lang=de"], records[1].Tags);
    }

    [Fact]
    public async Task A_staged_document_keeps_its_metadata_and_tags()
    {
        using var staging = new TempDirectory();
        var collection = new FakeChunkCollection(atomic: true);
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = 4, MaxBufferedChunks = 4, StagingDirectory = staging.Path, FilterableFields = ["tenant", "part"] };
        var chunker = new ParagraphChunker { Metadata = index => new Dictionary<string, string> { ["part"] = (index % 2).ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var ingestor = new DocumentIngestor(collection, Embedder(), chunker, options);
        var document = new Document("big", string.Join('\n', Enumerable.Range(0, 20).Select(i => $"line {i}")))
        {
            Metadata = new Dictionary<string, string> { ["tenant"] = "t\u00e9 \"1\"" },
        };

        await ingestor.IngestAsync(Stream(document));

        ChunkRecord[] records = collection.RecordsOf("big");
        Assert.Equal(20, records.Length);
        Assert.All(records, r =>
        {
            string part = (r.ChunkIndex % 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new Dictionary<string, string> { ["tenant"] = "t\u00e9 \"1\"", ["part"] = part }, r.GetMetadata());
            Assert.Equal(["tenant=t\u00e9 \"1\"", "part=" + part], r.Tags);
        });
    }

    [Fact]
    public async Task A_document_whose_filterable_metadata_changed_is_ingested_again_though_its_text_did_not()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var embedder = Embedder();
        var tenantOnly = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { FilterableFields = ["tenant"] });
        Document Version(string tenant) => new("a", "first line\nsecond one")
        {
            Metadata = new Dictionary<string, string> { ["tenant"] = tenant, ["lang"] = "en" },
        };

        await tenantOnly.IngestAsync(Stream(Version("acme")));
        int calls = embedder.CallCount;
        IngestionResult same = await tenantOnly.IngestAsync(Stream(Version("acme")));
        IngestionResult moved = await tenantOnly.IngestAsync(Stream(Version("globex")));
        var withLang = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { FilterableFields = ["tenant", "lang"] });
        IngestionResult declared = await withLang.IngestAsync(Stream(Version("globex")));
        IngestionResult settled = await withLang.IngestAsync(Stream(Version("globex")));

        Assert.Equal((1, 0), (same.Unchanged, same.Updated));
        Assert.Equal(calls, embedder.CallCount - 2);
        Assert.Equal((0, 1), (moved.Unchanged, moved.Updated));
        Assert.Equal((0, 1), (declared.Unchanged, declared.Updated));
        Assert.Equal((1, 0), (settled.Unchanged, settled.Updated));
        Assert.All(collection.RecordsOf("a"), r => Assert.Equal(["tenant=globex", "lang=en"], r.Tags));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a=b")]
    public void Rejects_a_filterable_field_that_cannot_be_a_tag_key(string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new DocumentIngestor(
            new FakeChunkCollection(atomic: true), Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { FilterableFields = ["tenant", field] }));

        Assert.Contains("DocumentIngestorOptions.FilterableFields", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stages_a_document_larger_than_the_buffer_and_commits_it_whole_in_one_atomic_step()
    {
        using var staging = new TempDirectory();
        var collection = new FakeChunkCollection(atomic: true);
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = 4, MaxBufferedChunks = 8, StagingDirectory = staging.Path };
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker { HeadingPath = ["H"], Page = 2 }, options);
        string[] lines = [.. Enumerable.Range(0, 50).Select(i => i == 7 ? "lone \uD800 surrogate and é" : $"line {i}")];
        var stagingFiles = new List<int>();
        collection.OnWrite = _ => stagingFiles.Add(Directory.GetFiles(staging.Path).Length);

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("big", lines), Doc("small", "tiny")));

        Assert.Equal(2, result.Added);
        Assert.Equal([50, 1], collection.Replacements.Select(r => r.Upserted));
        Assert.Equal([1, 0], stagingFiles);
        Assert.Empty(Directory.GetFiles(staging.Path));
        ChunkRecord[] records = collection.RecordsOf("big");
        Assert.Equal(lines, records.Select(r => r.Text));
        Assert.Equal(Enumerable.Range(0, 50), records.Select(r => r.ChunkIndex));
        Assert.All(records, r =>
        {
            Assert.Equal(ChunkRecord.CreateKey("big", r.ChunkIndex), r.Key);
            Assert.Equal("H", r.HeadingPath);
            Assert.Equal(2, r.Page);
            Assert.Equal("big.txt", r.Source);
            Assert.Equal(Vector(r.Text, 4), r.Embedding.ToArray());
        });
    }

    [Fact]
    public async Task Writes_a_staged_document_a_page_at_a_time_without_an_atomic_writer_and_removes_the_staging_file()
    {
        using var staging = new TempDirectory();
        var collection = new FakeChunkCollection(atomic: false);
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = 5, MaxBufferedChunks = 10, PageSize = 16, StagingDirectory = staging.Path };
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker(), options);
        string[] lines = [.. Enumerable.Range(0, 40).Select(i => $"line {i}")];

        await ingestor.IngestAsync(Stream(Doc("big", lines)));

        Assert.Equal(3, collection.UpsertCalls);
        Assert.Equal(lines, collection.RecordsOf("big").Select(r => r.Text));
        Assert.Empty(Directory.GetFiles(staging.Path));
    }

    [Fact]
    public async Task A_cancelled_staged_document_writes_nothing_and_leaves_no_staging_file()
    {
        using var staging = new TempDirectory();
        var collection = new FakeChunkCollection(atomic: true);
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var embedder = Embedder(onCall: () =>
        {
            if (++calls == 6)
            {
                cts.Cancel();
            }
        });
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = 2, MaxBufferedChunks = 4, StagingDirectory = staging.Path };
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker(), options);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ingestor.IngestAsync(Stream(Doc("big", [.. Enumerable.Range(0, 30).Select(i => $"line {i}")])), cancellationToken: cts.Token));

        Assert.Empty(collection.Records);
        Assert.Empty(Directory.GetFiles(staging.Path));
    }

    [Fact]
    public async Task Keeps_a_bounded_number_of_chunks_and_embeddings_alive_for_a_document_of_thousands_of_chunks()
    {
        using var staging = new TempDirectory();
        const int batchSize = 16, buffered = 64, chunks = 3000;
        var collection = new FakeChunkCollection(atomic: true) { KeepsVectors = false };
        var chunker = new ParagraphChunker();
        var vectors = new List<WeakReference>();
        int maxAlive = 0, maxAhead = 0, embedded = 0;
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, _, _) =>
            {
                string[] texts = [.. values];
                GC.Collect();
                maxAlive = Math.Max(maxAlive, vectors.Count(v => v.IsAlive));
                maxAhead = Math.Max(maxAhead, chunker.Produced - embedded);
                embedded += texts.Length;
                var result = new GeneratedEmbeddings<Embedding<float>>();
                foreach (string text in texts)
                {
                    float[] vector = Vector(text, 4);
                    vectors.Add(new WeakReference(vector));
                    result.Add(new Embedding<float>(vector));
                }

                return Task.FromResult(result);
            },
        };
        var options = new DocumentIngestorOptions { EmbeddingBatchSize = batchSize, MaxBufferedChunks = buffered, StagingDirectory = staging.Path };
        var ingestor = new DocumentIngestor(collection, embedder, chunker, options);

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("huge", [.. Enumerable.Range(0, chunks).Select(i => $"line {i}")])));

        Assert.Equal(chunks, result.Chunks);
        Assert.Equal(chunks, collection.Replacements.Single().Upserted);
        Assert.InRange(maxAhead, 1, batchSize);
        Assert.InRange(maxAlive, 0, buffered + (2 * batchSize));
    }

    [Fact]
    public async Task Fails_before_writing_when_the_embeddings_do_not_match_the_stored_dimension()
    {
        var collection = new FakeChunkCollection(atomic: true);
        await new DocumentIngestor(collection, Embedder(dimensions: 4), new ParagraphChunker()).IngestAsync(Stream(Doc("a", "one")));
        var ingestor = new DocumentIngestor(collection, Embedder(dimensions: 8), new ParagraphChunker());

        IngestionException error = await Assert.ThrowsAsync<IngestionException>(() => ingestor.IngestAsync(Stream(Doc("a", "changed"), Doc("b", "new"))));

        Assert.Contains("expected 4 dimensions, got 8", error.Message, StringComparison.Ordinal);
        Assert.Equal((4, 8), (error.ExpectedDimensions, error.ActualDimensions));
        Assert.Equal("a", error.DocumentId);
        Assert.Equal(["one"], collection.Records.Select(r => r.Text));
        Assert.Single(collection.Replacements);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fails_at_the_first_write_naming_both_sizes_when_the_store_rejects_the_dimension(bool atomic)
    {
        var collection = new FakeChunkCollection(atomic, dimensions: 384);
        var ingestor = new DocumentIngestor(collection, Embedder(dimensions: 768), new ParagraphChunker());

        IngestionException error = await Assert.ThrowsAsync<IngestionException>(() => ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("b", "two"))));

        Assert.Contains("expected 384 dimensions, got 768", error.Message, StringComparison.Ordinal);
        Assert.Equal("a", error.DocumentId);
        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Empty(collection.Records);
    }

    [Fact]
    public async Task Checks_the_first_embedding_against_the_configured_or_defined_dimension_before_writing()
    {
        var defined = new FakeChunkCollection(atomic: true, dimensions: 384) { ExposesDefinition = true, FailOnWrite = 1 };
        IngestionException fromDefinition = await Assert.ThrowsAsync<IngestionException>(() =>
            new DocumentIngestor(defined, Embedder(dimensions: 5), new ParagraphChunker()).IngestAsync(Stream(Doc("a", "one"))));
        Assert.Contains("expected 384 dimensions, got 5", fromDefinition.Message, StringComparison.Ordinal);
        Assert.Null(fromDefinition.InnerException);

        var configured = new FakeChunkCollection(atomic: false) { FailOnWrite = 1 };
        IngestionException fromOptions = await Assert.ThrowsAsync<IngestionException>(() =>
            new DocumentIngestor(configured, Embedder(dimensions: 5), new ParagraphChunker(), new DocumentIngestorOptions { Dimensions = 3 }).IngestAsync(Stream(Doc("a", "one"))));
        Assert.Contains("expected 3 dimensions, got 5", fromOptions.Message, StringComparison.Ordinal);
        Assert.Equal(0, configured.UpsertCalls);
    }

    [Fact]
    public async Task Fails_naming_the_document_when_the_generator_returns_the_wrong_number_of_embeddings()
    {
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (_, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 1, 2 })])),
        };
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), embedder, new ParagraphChunker());

        IngestionException error = await Assert.ThrowsAsync<IngestionException>(() => ingestor.IngestAsync(Stream(Doc("a", "one", "two"))));

        Assert.Contains("returned 1 embeddings for 2 texts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public async Task Refuses_an_embedding_that_holds_a_non_finite_number_naming_the_document_and_chunk_and_writes_none_of_that_document(float bad, string shown)
    {
        // The second document's second chunk comes back broken; the first document is committed, none of the second is.
        var embedder = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, _, _) => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
                values.Select(text => new Embedding<float>(text == "b two" ? new float[] { 1, bad, 3 } : new float[] { 1, 2, 3 })))),
        };
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 1 });

        IngestionException error = await Assert.ThrowsAsync<IngestionException>(() => ingestor.IngestAsync(Stream(Doc("a", "a one", "a two"), Doc("b", "b one", "b two"))));

        Assert.Equal("b", error.DocumentId);
        Assert.Contains($"an embedding holding {shown} (at position 1 of 3) for chunk 1 of document 'b'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a#0", "a#1"], collection.Records.Select(Chunks.Label).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Skips_and_reports_a_document_the_chunker_yields_no_chunks_for()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());

        IngestionResult result = await ingestor.IngestAsync(Stream(Doc("a", "one"), Doc("blank", " ", "\t"), Doc("b", "two")));

        Assert.Equal(1, result.Skipped);
        Assert.Equal(2, result.Added);
        Assert.Equal(["a#0", "b#0"], collection.Records.Select(Chunks.Label).Order(StringComparer.Ordinal));
        DocumentLoadIssue issue = Assert.Single(result.Issues);
        Assert.Equal((DocumentLoadIssueKind.Empty, "blank", "blank.txt"), (issue.Kind, issue.DocumentId, issue.Source));
    }

    [Fact]
    public async Task Reports_skipped_files_and_repaired_text_from_the_directory_loader_and_goes_on()
    {
        using var directory = new TempDirectory();
        directory.WriteText("good.txt", "A good line.\nAnother good line.");
        directory.WriteBytes("binary.txt", [0x48, 0x00, 0x01, 0x02, 0x00, 0x49]);
        directory.WriteBytes("latin1.txt", Encoding.Latin1.GetBytes("caf\u00e9 au lait"));
        directory.WriteText("empty.txt", "  \n\t ");
        directory.WriteText("notes.xyz", "unsupported");
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        var progress = new CollectingProgress<IngestionProgress>();

        IngestionResult result = await ingestor.IngestDirectoryAsync(new DirectoryDocumentLoader(), directory.Path, progress: progress);

        Assert.Equal(2, result.Added);
        Assert.Equal(3, result.Skipped);
        Assert.Equal(
            [("binary.txt", DocumentLoadIssueKind.Binary), ("empty.txt", DocumentLoadIssueKind.Empty), ("latin1.txt", DocumentLoadIssueKind.InvalidUtf8), ("notes.xyz", DocumentLoadIssueKind.Unsupported)],
            result.Issues.Select(i => (i.Source, i.Kind)).Order());
        Assert.Equal("caf\uFFFD au lait", Assert.Single(collection.RecordsOf("latin1.txt")).Text);
        Assert.Equal(2, collection.RecordsOf("good.txt").Length);
        Assert.Equal(3, progress.Items.Count(p => p.Event == IngestionEvent.DocumentSkipped && p.Issue is not null));
        Assert.Single(progress.Items, p => p.Event == IngestionEvent.IssueReported && p.Issue?.Kind == DocumentLoadIssueKind.InvalidUtf8);
    }

    [Fact]
    public async Task A_sync_keeps_the_documents_of_a_source_that_cannot_be_read()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        var loader = new JsonlDocumentLoader();
        byte[] jsonl = Encoding.UTF8.GetBytes("{\"id\":\"r1\",\"text\":\"first record\"}\n{\"id\":\"r2\",\"text\":\"second record\"}\n");
        IngestionResult first = await ingestor.IngestSourceAsync(loader, new DocumentSource("corpus.jsonl", () => new MemoryStream(jsonl)));
        Assert.Equal(2, first.Added);

        var broken = new DocumentSource("corpus.jsonl", () => throw new IOException("The disk is gone."));
        IngestionResult synced = await ingestor.IngestSourceAsync(loader, broken, new IngestionOptions { DeleteMissing = true });

        DocumentLoadIssue issue = Assert.Single(synced.Issues);
        Assert.Equal((DocumentLoadIssueKind.Unreadable, "corpus.jsonl"), (issue.Kind, issue.Source));
        Assert.Contains("The disk is gone.", issue.Message, StringComparison.Ordinal);
        Assert.Equal(0, synced.Deleted);
        Assert.Equal(2, collection.Records.Length);
    }

    [Fact]
    public async Task Ingests_the_records_before_a_malformed_line_and_reports_the_line()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker());
        byte[] jsonl = Encoding.UTF8.GetBytes("{\"id\":\"r1\",\"text\":\"first record\"}\n{ broken\n{\"id\":\"r3\",\"text\":\"third\"}\n");

        IngestionResult result = await ingestor.IngestSourceAsync(new JsonlDocumentLoader(), new DocumentSource("corpus.jsonl", () => new MemoryStream(jsonl)));

        Assert.Equal(1, result.Added);
        DocumentLoadIssue issue = Assert.Single(result.Issues);
        Assert.Equal((DocumentLoadIssueKind.Malformed, 2), (issue.Kind, issue.LineNumber));
        Assert.Equal(["r1#0"], collection.Records.Select(Chunks.Label).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reports_progress_for_every_batch_and_document()
    {
        var ingestor = new DocumentIngestor(new FakeChunkCollection(atomic: true), Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 2 });
        await ingestor.IngestAsync(Stream(Doc("a", "1")));
        var progress = new CollectingProgress<IngestionProgress>();

        await ingestor.IngestAsync(Stream(Doc("a", "1"), Doc("b", "2", "3"), Doc("c", "4")), progress: progress);

        Assert.Equal(
            [(IngestionEvent.DocumentUnchanged, "a"), (IngestionEvent.ChunksEmbedded, null), (IngestionEvent.DocumentAdded, "b"), (IngestionEvent.ChunksEmbedded, null), (IngestionEvent.DocumentAdded, "c")],
            progress.Items.Select(p => (p.Event, p.DocumentId)));
        IngestionProgress last = progress.Items[^1];
        Assert.Equal((3, 3, 3), (last.DocumentsCompleted, last.ChunksEmbedded, last.ChunksWritten));
    }

    [Fact]
    public async Task A_repeated_document_id_in_one_run_ends_with_the_last_version_only()
    {
        var collection = new FakeChunkCollection(atomic: false);
        var ingestor = new DocumentIngestor(collection, Embedder(), new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 64 });

        await ingestor.IngestAsync(Stream(Doc("a", "1", "2", "3"), Doc("a", "only")));

        Assert.Equal(["only"], collection.RecordsOf("a").Select(r => r.Text));
    }

    [Fact]
    public void Rejects_missing_arguments_and_invalid_options()
    {
        var collection = new FakeChunkCollection(atomic: true);
        var embedder = Embedder();
        var chunker = new ParagraphChunker();
        Assert.Throws<ArgumentNullException>(() => new DocumentIngestor(null!, embedder, chunker));
        Assert.Throws<ArgumentNullException>(() => new DocumentIngestor(collection, null!, chunker));
        Assert.Throws<ArgumentNullException>(() => new DocumentIngestor(collection, embedder, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentIngestor(collection, embedder, chunker, new DocumentIngestorOptions { EmbeddingBatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentIngestor(collection, embedder, chunker, new DocumentIngestorOptions { MaxBufferedChunks = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentIngestor(collection, embedder, chunker, new DocumentIngestorOptions { Dimensions = 0 }));
        Assert.Throws<ArgumentException>(() => new DocumentIngestor(collection, embedder, chunker, new DocumentIngestorOptions { StagingDirectory = " " }));
        var ingestor = new DocumentIngestor(collection, embedder, chunker);
        Assert.Throws<ArgumentNullException>(() => { _ = ingestor.IngestAsync(null!); });
        Assert.Throws<ArgumentNullException>(() => { _ = ingestor.IngestSourceAsync(null!, DocumentSource.FromFile("x.txt")); });
        Assert.Throws<ArgumentNullException>(() => { _ = ingestor.IngestDirectoryAsync(null!, "."); });
    }

    /// <summary>A synchronous progress that runs a callback.</summary>
    private sealed class CallbackProgress(Action<IngestionProgress> callback) : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value) => callback(value);
    }
}
