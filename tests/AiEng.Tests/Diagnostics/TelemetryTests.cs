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
        var exported = new List<Activity>();
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("AiEng")
            .AddSource(TestSource.Name)
            .AddInMemoryExporter(exported)
            .Build())
        {
            using Activity root = TestSource.StartActivity("test")!;
            await RunPipelineAsync();
        }

        ActivityTraceId trace = Assert.Single(exported, a => a.OperationName == "test").TraceId;
        List<Activity> spans = exported.Where(a => a.TraceId == trace && a.Source.Name == "AiEng").ToList();

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

    private static async Task RunPipelineAsync()
    {
        using var store = new InMemoryVectorStore();
        VectorStoreCollection<string, ChunkRecord> collection = store.GetCollection<string, ChunkRecord>("docs", ChunkRecord.CreateDefinition(4));
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
