using System.Diagnostics;
using System.Diagnostics.Metrics;
using AiEng.Evaluation;
using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.VectorData;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static AiEng.Tests.Retrieval.Ingestion.IngestionFixtures;

namespace AiEng.Tests.Diagnostics;

/// <summary>
/// End-to-end telemetry: the spans of ingestion, hybrid retrieval, grounded generation and an evaluation run, collected
/// through the OpenTelemetry SDK exactly as an application would (<c>AddSource("AiEng")</c>), the logging of ingestion, and
/// the rule that token metrics are counted once when MEAI's <c>UseOpenTelemetry</c> is on.
/// </summary>
public sealed class TelemetryTests
{
    private const string Question = "How do I configure the zephyr widget?";

    // Listeners are process-wide and other test classes run in parallel, so every test opens its own root span and keeps
    // only the spans of its trace.
    private static readonly ActivitySource TestSource = new("AiEng.Tests.Telemetry");

    [Fact]
    public async Task Ingestion_retrieval_grounded_generation_and_evaluation_emit_AiEng_spans_with_GenAI_attributes()
    {
        List<Activity> spans = await CollectAiEngSpansAsync(RunPipelineAsync);

        // Ingestion: one run, a batch span per embedding call under it.
        Activity run = Assert.Single(spans, a => a.OperationName == "aieng.ingestion.run");
        Assert.Equal("docs", run.GetTagItem("gen_ai.data_source.id"));
        Assert.Equal(2, run.GetTagItem("aieng.ingestion.documents.added"));
        Assert.Equal(1, run.GetTagItem("aieng.ingestion.documents.skipped"));
        Assert.Equal(3, run.GetTagItem("aieng.ingestion.chunks"));
        Assert.Equal(1, run.GetTagItem("aieng.ingestion.issues"));
        Activity batch = Assert.Single(spans, a => a.OperationName == "aieng.ingestion.batch");
        Assert.Equal(run.SpanId, batch.ParentSpanId);
        Assert.Equal("embeddings", batch.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(3, batch.GetTagItem("aieng.ingestion.batch.chunks"));

        // Grounded generation inside the evaluation case: evaluation.run > case > generation.grounded > fusion > keyword, dense.
        Activity evaluation = Assert.Single(spans, a => a.OperationName == "aieng.evaluation.run");
        Assert.Equal("telemetry", evaluation.GetTagItem("aieng.evaluation.run.name"));
        Assert.Equal("widgets", evaluation.GetTagItem("aieng.evaluation.dataset"));
        Assert.Equal(1, evaluation.GetTagItem("aieng.evaluation.cases"));
        Assert.Equal(0, evaluation.GetTagItem("aieng.evaluation.cases.failed"));
        Activity evaluationCase = Assert.Single(spans, a => a.OperationName == "aieng.evaluation.case");
        Assert.Equal(evaluation.SpanId, evaluationCase.ParentSpanId);
        Assert.Equal("q1", evaluationCase.GetTagItem("aieng.evaluation.case.id"));

        Activity grounded = Assert.Single(spans, a => a.OperationName == "aieng.generation.grounded");
        Assert.Equal(evaluationCase.SpanId, grounded.ParentSpanId);
        Assert.Equal(true, grounded.GetTagItem("aieng.generation.grounded"));
        Assert.Equal(4, grounded.GetTagItem("aieng.retrieval.top_k"));
        Assert.True((int)grounded.GetTagItem("aieng.context.chunks")! > 0);
        Assert.Equal(1, grounded.GetTagItem("aieng.citations"));

        Activity fusion = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.fusion");
        Assert.Equal(grounded.SpanId, fusion.ParentSpanId);
        Assert.Equal("retrieval", fusion.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("normalized_score", fusion.GetTagItem("aieng.retrieval.fusion.method"));
        Assert.Equal(2, fusion.GetTagItem("aieng.retrieval.fusion.sources"));
        Assert.Equal(4, fusion.GetTagItem("aieng.retrieval.top_k"));

        Activity keyword = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.keyword");
        Activity dense = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.dense");
        Assert.Equal(fusion.SpanId, keyword.ParentSpanId);
        Assert.Equal(fusion.SpanId, dense.ParentSpanId);
        Assert.Equal("retrieval", keyword.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("docs", keyword.GetTagItem("gen_ai.data_source.id"));
        Assert.Equal(3, keyword.GetTagItem("aieng.retrieval.indexed_chunks"));
        Assert.True((int)keyword.GetTagItem("aieng.retrieval.results")! > 0);
        Assert.Equal("docs", dense.GetTagItem("gen_ai.data_source.id"));
        Assert.Equal("test-embeddings", dense.GetTagItem("gen_ai.request.model"));
        Assert.Equal(3, dense.GetTagItem("aieng.retrieval.results"));

        // Evaluation metric spans: one per evaluator, with a gen_ai.evaluation.result event per metric.
        Activity metric = Assert.Single(spans, a => a.OperationName == "aieng.evaluation.metric");
        Assert.Equal(evaluationCase.SpanId, metric.ParentSpanId);
        Assert.Equal("Contains", metric.GetTagItem("gen_ai.evaluation.name"));
        Assert.Equal(1.0, metric.GetTagItem("gen_ai.evaluation.score.value"));
        ActivityEvent result = Assert.Single(metric.Events);
        Assert.Equal("gen_ai.evaluation.result", result.Name);
        Assert.Contains(result.Tags, tag => tag.Key == "gen_ai.evaluation.name" && (string?)tag.Value == "Contains");
        Assert.Contains(result.Tags, tag => tag.Key == "gen_ai.evaluation.score.value" && Equals(tag.Value, 1.0));

        // Nothing leaks the question or document text into attributes.
        Assert.All(spans, span => Assert.All(span.TagObjects, tag =>
        {
            string value = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            Assert.DoesNotContain("zephyr", value, StringComparison.OrdinalIgnoreCase);
        }));
    }

    [Fact]
    public async Task Ingestion_logs_start_end_counts_and_skipped_inputs()
    {
        var logger = new FakeLogger();
        var collection = new AiEng.Tests.Retrieval.Ingestion.FakeChunkCollection(atomic: true);
        var ingestor = new DocumentIngestor(collection, Embedder(), new AiEng.Tests.Retrieval.Ingestion.ParagraphChunker(), logger: logger);

        await ingestor.IngestAsync(Stream(Doc("a", "one", "two"), Doc("blank")));

        var records = logger.Collector.GetSnapshot();
        FakeLogRecord started = Assert.Single(records, r => r.Id.Name == "IngestionStarted");
        Assert.Equal(LogLevel.Information, started.Level);
        FakeLogRecord skipped = Assert.Single(records, r => r.Id.Name == "IngestionInputSkipped");
        Assert.Equal(LogLevel.Warning, skipped.Level);
        Assert.Equal("blank.txt", skipped.GetStructuredStateValue("Source"));
        Assert.Equal("blank", skipped.GetStructuredStateValue("DocumentId"));
        Assert.Equal(nameof(DocumentLoadIssueKind.Empty), skipped.GetStructuredStateValue("Kind"));
        FakeLogRecord completed = Assert.Single(records, r => r.Id.Name == "IngestionCompleted");
        Assert.Equal(LogLevel.Information, completed.Level);
        Assert.Equal("1", completed.GetStructuredStateValue("Added"));
        Assert.Equal("1", completed.GetStructuredStateValue("Skipped"));
        Assert.Equal("2", completed.GetStructuredStateValue("Chunks"));
        Assert.True(records.ToList().IndexOf(started) < records.ToList().IndexOf(completed));
        Assert.DoesNotContain(records, r => r.Message.Contains("two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_UseOpenTelemetry_on_a_model_served_by_AddAiEng_tokens_are_counted_once()
    {
        const string model = "telemetry-once-model";
        var measurements = new List<(string Meter, long Value, string? Type)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "gen_ai.client.token.usage")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Collect(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? requestModel = null, type = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                requestModel = tag.Key == "gen_ai.request.model" ? tag.Value as string : requestModel;
                type = tag.Key == "gen_ai.token.type" ? tag.Value as string : type;
            }

            if (requestModel == model)
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Meter.Name, value, type));
                }
            }
        }

        // MEAI records tokens as int, AiEng used long: listen to both so that any copy is seen.
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Collect(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Collect(instrument, value, tags));
        listener.Start();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Usage:EnableMetrics"] = "true",
            ["AiEng:Usage:Prices:" + model + ":InputPerMillion"] = "1",
            ["AiEng:Usage:Prices:" + model + ":OutputPerMillion"] = "1",
        }).Build();
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                ModelId = model,
                Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 },
            }),
        };
        var services = new ServiceCollection();
        services.AddAiEng(configuration)
            .UseChatClient(_ => inner)
            .ConfigureChatPipeline(builder => builder.UseOpenTelemetry());
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello", new ChatOptions { ModelId = model });

        Assert.Equal(7, Assert.Single(measurements, m => m.Type == "input").Value);
        Assert.Equal(3, Assert.Single(measurements, m => m.Type == "output").Value);
        Assert.All(measurements, m => Assert.NotEqual("AiEng", m.Meter));
        Assert.Single(provider.GetRequiredService<AiEng.Inference.IUsageLedger>().GetRecords(), r => r.Model == model);
    }

    [Fact]
    public async Task A_reranking_retriever_emits_a_two_stage_span_around_its_candidate_retrieval_and_its_reranker()
    {
        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            var (_, keyword, embedder) = await BuildCorpusAsync();
            var retriever = new RerankingRetriever(keyword, new MmrReranker(embedder), candidateCount: 5);
            Assert.NotEmpty(await retriever.RetrieveAsync(new RetrievalRequest(Question) { Top = 2 }));
        });

        Activity twoStage = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.two_stage");
        Assert.Equal("retrieval", twoStage.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(5, twoStage.GetTagItem("aieng.retrieval.candidate_depth"));
        Assert.Equal(2, twoStage.GetTagItem("aieng.retrieval.top_k"));
        Assert.Equal(false, twoStage.GetTagItem("aieng.retrieval.filtered"));
        Assert.Equal(3, twoStage.GetTagItem("aieng.rerank.candidates"));
        Assert.Equal(2, twoStage.GetTagItem("aieng.retrieval.results"));
        Assert.Equal(ActivityStatusCode.Unset, twoStage.Status);

        Activity keyword = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.keyword");
        Activity rerank = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.rerank");
        Assert.Equal(twoStage.SpanId, keyword.ParentSpanId);
        Assert.Equal(twoStage.SpanId, rerank.ParentSpanId);
        Assert.Equal(5, keyword.GetTagItem("aieng.retrieval.top_k"));
        Assert.Equal("mmr", rerank.GetTagItem("aieng.rerank.method"));
    }

    [Fact]
    public async Task Retrieval_spans_that_throw_end_with_the_error_status_and_error_type_up_to_the_outermost()
    {
        var failure = new InvalidOperationException("The embedding service is down.");
        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            var (collection, keyword, _) = await BuildCorpusAsync();
            var dense = new VectorStoreRetriever(collection, Embedder(onCall: () => throw failure));
            var retriever = new RerankingRetriever(new HybridRetriever([keyword, dense]), new PassThroughReranker());
            Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => retriever.RetrieveAsync(new RetrievalRequest(Question) { Top = 2 })));
        });

        foreach (string name in new[] { "aieng.retrieval.dense", "aieng.retrieval.fusion", "aieng.retrieval.two_stage" })
        {
            Activity span = Assert.Single(spans, a => a.OperationName == name);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(nameof(InvalidOperationException), span.StatusDescription);
            Assert.Equal("System.InvalidOperationException", span.GetTagItem("error.type"));
        }

        Activity keyword = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.keyword");
        Assert.Equal(ActivityStatusCode.Unset, keyword.Status);
        Assert.Null(keyword.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_condensed_follow_up_shows_how_its_query_was_formed_and_the_text_only_when_sensitive_data_is_enabled()
    {
        const string Standalone = "How is the zephyr widget configured?";
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(
                ChatRole.Assistant, messages.First().Text == ConversationQueryOptions.DefaultInstructions ? Standalone : "In settings [1]."))),
        };
        List<ChatMessage> conversation = [new(ChatRole.User, "Tell me about the zephyr widget."), new(ChatRole.Assistant, "It is a widget."), new(ChatRole.User, "how is it configured?")];
        var logs = new FakeLogger();
        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            var (_, keyword, _) = await BuildCorpusAsync();
            foreach (bool sensitive in new[] { false, true })
            {
                var options = new RetrievalOptions { EnableSensitiveData = sensitive };
                options.ConversationQuery.Mode = ConversationQueryMode.Condense;
                using var client = new RetrievalChatClient(model, keyword, options, logs);
                await client.GetResponseAsync(conversation);
            }
        });

        var grounded = spans.Where(a => a.OperationName == "aieng.generation.grounded").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, grounded.Count);
        Assert.All(grounded, span =>
        {
            Assert.Equal(("model", true, 2), (span.GetTagItem("aieng.retrieval.query.method"), span.GetTagItem("aieng.retrieval.query.rewritten"), span.GetTagItem("aieng.retrieval.query.history_messages")));
            Activity condense = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.query_transformation" && a.ParentSpanId == span.SpanId);
            Assert.Equal(("condense", 1), (condense.GetTagItem("aieng.query_transformation.method"), condense.GetTagItem("aieng.query_transformation.queries")));
        });
        Assert.Null(grounded[0].GetTagItem("aieng.retrieval.query"));
        Assert.Equal(Standalone, grounded[1].GetTagItem("aieng.retrieval.query"));

        var records = logs.Collector.GetSnapshot();
        Assert.Equal(2, records.Count(r => r.Id.Name == "RetrievalQueryFormed" && r.Level == LogLevel.Debug));
        var text = Assert.Single(records, r => r.Id.Name == "RetrievalQueryText");
        Assert.Equal(LogLevel.Debug, text.Level);
        Assert.Contains(Standalone, text.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(records.Where(r => r.Id.Name != "RetrievalQueryText"), r => r.Message.Contains(Standalone, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_reranker_or_query_transformation_marks_its_span_failed()
    {
        var failing = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new TimeoutException("model timed out") };
        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            var (_, keyword, _) = await BuildCorpusAsync();
            var candidates = await keyword.RetrieveAsync(new RetrievalRequest(Question) { Top = 3 });
            await Assert.ThrowsAsync<TimeoutException>(() => new LlmReranker(failing).RerankAsync(Question, candidates, 2));
            await Assert.ThrowsAsync<TimeoutException>(() => new MultiQueryRetriever(failing, keyword).RetrieveAsync(new RetrievalRequest(Question) { Top = 2 }));
            await Assert.ThrowsAsync<TimeoutException>(() => new HydeRetriever(failing, keyword).RetrieveAsync(new RetrievalRequest(Question) { Top = 2 }));
        });

        Activity rerank = Assert.Single(spans, a => a.OperationName == "aieng.retrieval.rerank");
        Assert.Equal(ActivityStatusCode.Error, rerank.Status);
        Assert.Equal("System.TimeoutException", rerank.GetTagItem("error.type"));
        Assert.Equal(2, spans.Count(a => a.OperationName == "aieng.retrieval.query_transformation"));
        Assert.All(
            spans.Where(a => a.OperationName == "aieng.retrieval.query_transformation"),
            span => Assert.Equal((ActivityStatusCode.Error, "System.TimeoutException"), (span.Status, span.GetTagItem("error.type"))));
    }

    [Fact]
    public async Task A_streaming_grounded_call_marks_its_span_failed_when_grounding_or_the_stream_fails()
    {
        var (_, keyword, _) = await BuildCorpusAsync();
        var failure = new IOException("connection reset");
        IChatClient streamFails = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => FailingStream(failure),
        }.AsBuilder().UseRetrieval(keyword).Build();
        IChatClient groundingFails = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) => throw new InvalidOperationException("never called"),
        }.AsBuilder().UseRetrieval(new VectorStoreRetrieverThatFails()).Build();

        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            var seen = new List<string>();
            await Assert.ThrowsAsync<IOException>(async () =>
            {
                await foreach (var update in streamFails.GetStreamingResponseAsync(Question))
                {
                    seen.Add(update.Text);
                }
            });
            Assert.Equal(["Open "], seen);

            await Assert.ThrowsAsync<NotSupportedException>(async () =>
            {
                await foreach (var update in groundingFails.GetStreamingResponseAsync(Question))
                {
                    Assert.Fail("No update was expected: " + update.Text);
                }
            });
        });

        var grounded = spans.Where(a => a.OperationName == "aieng.generation.grounded").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, grounded.Count);
        Assert.Equal((ActivityStatusCode.Error, "System.IO.IOException"), (grounded[0].Status, grounded[0].GetTagItem("error.type")));
        Assert.Equal((ActivityStatusCode.Error, "System.NotSupportedException"), (grounded[1].Status, grounded[1].GetTagItem("error.type")));
    }

    [Fact]
    public async Task A_failing_embedding_batch_marks_the_batch_and_the_ingestion_run_failed()
    {
        var failure = new HttpRequestException("Service unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable);
        List<Activity> spans = await CollectAiEngSpansAsync(async () =>
        {
            using var store = new InMemoryVectorStore();
            var collection = store.GetCollection<Guid, ChunkRecord>("docs", ChunkRecord.CreateDefinition(4));
            var ingestor = new DocumentIngestor(collection, Embedder(onCall: () => throw failure), new AiEng.Tests.Retrieval.Ingestion.ParagraphChunker());
            await Assert.ThrowsAnyAsync<Exception>(() => ingestor.IngestAsync(Stream(Doc("widgets", "The zephyr widget."))));
        });

        foreach (string name in new[] { "aieng.ingestion.batch", "aieng.ingestion.run" })
        {
            Activity span = Assert.Single(spans, a => a.OperationName == name);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.NotNull(span.GetTagItem("error.type"));
        }

        Assert.Equal("System.Net.Http.HttpRequestException", Assert.Single(spans, a => a.OperationName == "aieng.ingestion.batch").GetTagItem("error.type"));
    }

    /// <summary>Runs <paramref name="action"/> under a root span of its own and returns the AiEng spans of that trace.</summary>
    private static async Task<List<Activity>> CollectAiEngSpansAsync(Func<Task> action)
    {
        var exported = new List<Activity>();
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("AiEng")
            .AddSource(TestSource.Name)
            .AddInMemoryExporter(exported)
            .Build())
        {
            using Activity root = TestSource.StartActivity("test")!;
            await action();
        }

        ActivityTraceId trace = Assert.Single(exported, a => a.OperationName == "test").TraceId;
        return exported.Where(a => a.TraceId == trace && a.Source.Name == "AiEng").ToList();
    }

    /// <summary>Ingests three chunks into an in-memory collection; returns it, a keyword retriever over it and the embedder.</summary>
    private static async Task<(VectorStoreCollection<Guid, ChunkRecord> Collection, KeywordRetriever Keyword, TestEmbeddingGenerator Embedder)> BuildCorpusAsync()
    {
        var store = new InMemoryVectorStore();
        VectorStoreCollection<Guid, ChunkRecord> collection = store.GetCollection<Guid, ChunkRecord>("docs", ChunkRecord.CreateDefinition(4));
        TestEmbeddingGenerator embedder = Embedder();
        await new DocumentIngestor(collection, embedder, new AiEng.Tests.Retrieval.Ingestion.ParagraphChunker()).IngestAsync(Stream(
            Doc("widgets", "The zephyr widget is configured in settings.", "Restart after configuring the widget."),
            Doc("gadgets", "Gadgets need no configuration.")));

        return (collection, await KeywordRetriever.LoadAsync(collection), embedder);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> FailingStream(Exception failure)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "Open ");
        throw failure;
    }

    /// <summary>A retriever that fails, standing in for a store that cannot be reached.</summary>
    private sealed class VectorStoreRetrieverThatFails : IRetriever
    {
        public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The store cannot be reached.");
    }

    private static async Task RunPipelineAsync()
    {
        using var store = new InMemoryVectorStore();
        VectorStoreCollection<Guid, ChunkRecord> collection = store.GetCollection<Guid, ChunkRecord>("docs", ChunkRecord.CreateDefinition(4));
        TestEmbeddingGenerator embedder = Embedder();
        var ingestor = new DocumentIngestor(collection, embedder, new AiEng.Tests.Retrieval.Ingestion.ParagraphChunker());
        await ingestor.IngestAsync(Stream(
            Doc("widgets", "The zephyr widget is configured in settings.", "Restart after configuring the widget."),
            Doc("gadgets", "Gadgets need no configuration."),
            Doc("blank")));

        KeywordRetriever keyword = await KeywordRetriever.LoadAsync(collection);
        var hybrid = new HybridRetriever([keyword, new VectorStoreRetriever(collection, embedder)]);
        IChatClient chat = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Open settings [1]."))),
        }.AsBuilder().UseRetrieval(hybrid, options => options.Top = 4).Build();

        var runner = new EvaluationRunner([new ContainsEvaluator(["settings"])], new EvaluationRunnerOptions { RunName = "telemetry" });
        var dataset = new EvaluationDataset("widgets", [new EvaluationCase("q1", Question)]);
        EvaluationRun evaluated = await runner.RunAsync(dataset, async (evaluationCase, cancellationToken) =>
            new EvaluationTargetOutput(await chat.GetResponseAsync(evaluationCase.Input, cancellationToken: cancellationToken)));
        Assert.Null(Assert.Single(evaluated.Cases).Error);
    }
}
