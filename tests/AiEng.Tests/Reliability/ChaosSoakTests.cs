using System.Collections.Concurrent;
using System.Globalization;
using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.Retrieval.Ingestion;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace AiEng.Tests.Reliability;

/// <summary>
/// The chaos soak: ingestion and evaluation runs with Polly's chaos strategies (fault and latency) injected into the
/// embedding model, the store and the chat model at 10, 20 and 30%, behind AiEng's resilience. Every run completes or
/// fails with a clear error; a rerun resumes; after every run nothing committed is lost, nothing finished is done again
/// and nothing is charged twice. Size: <c>AIENG_SOAK_SCALE</c> (default 1, as in CI; <c>eng/soak.sh</c> runs more).
/// </summary>
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("AIENG_SOAK_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out int scale) && scale > 0 ? scale : 1;

    // A store fault fails an ingestion run (it is not retried: the run stops and a rerun resumes), so at 30% a run commits
    // only a few documents; the bound only stops a soak that makes no progress.
    private const int MaxRuns = 500;

    private static ResilienceOptions Retries(ResilienceOptions o)
    {
        o.BaseDelay = TimeSpan.FromMilliseconds(1);
        o.UseJitter = false;
        o.MaxRetryAttempts = 2;
        o.CircuitBreaker.Enabled = false;
        return o;
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(0.20)]
    [InlineData(0.30)]
    public async Task Ingestion_under_chaos_loses_no_committed_document_repeats_no_committed_work_and_charges_each_paid_call_once(double rate)
    {
        int documents = 60 * Scale;
        int seed = Environment.TickCount;
        var chaos = new Chaos(rate, seed);
        var ledger = new UsageLedger();
        var paid = new ConcurrentQueue<string>();
        var model = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, _, _) =>
            {
                string[] texts = [.. values];
                foreach (string text in texts)
                {
                    paid.Enqueue(text);
                }

                return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(static t => new Embedding<float>(TestVectors.HashedBagOfWords(t, 8)))) { Usage = new UsageDetails { InputTokenCount = texts.Length } });
            },
        };
        IEmbeddingGenerator<string, Embedding<float>> embedder = new ChaosEmbeddingGenerator(model, chaos.Pipeline()).AsBuilder()
            .UseUsageTracking(ledger)
            .UseResilience(o => Retries(o))
            .Build();
        var store = new FakeChunkCollection(atomic: true) { OnWrite = _ => chaos.MaybeFail("the store's commit") };
        var ingestor = new DocumentIngestor(store, embedder, new ParagraphChunker(), new DocumentIngestorOptions { EmbeddingBatchSize = 4 });
        Document[] corpus = [.. Enumerable.Range(0, documents).Select(i => new Document($"doc-{i:D4}", $"Document {i} first paragraph.\n\nDocument {i} second paragraph.\n\nDocument {i} third paragraph."))];

        int runs = 0, failures = 0;
        var committed = new HashSet<string>(StringComparer.Ordinal);
        while (committed.Count < documents)
        {
            Assert.True(++runs <= MaxRuns, $"not finished after {MaxRuns} runs at {rate:P0} (seed {seed})");
            int paidBefore = paid.Count;
            Exception? error = await Record.ExceptionAsync(() => ingestor.IngestAsync(corpus.ToAsyncEnumerable()));
            if (error is not null)
            {
                failures++;
                AssertClear(error, seed);
            }

            // Nothing committed before this run was embedded again, and what is stored is whole.
            string[] again = [.. paid.Skip(paidBefore).Where(text => committed.Contains(text.Split(' ')[1]))];
            Assert.True(again.Length == 0, $"run {runs}: committed documents were embedded again (seed {seed}): {string.Join(" | ", again.Take(3))}");
            foreach (var document in store.Records.GroupBy(static r => r.DocumentId))
            {
                Assert.Equal(3, document.Count());
                committed.Add(document.Key);
            }
        }

        // Every paid call is recorded once: one ledger record per call that reached the model, and tokens per text.
        Assert.Equal(paid.Count, ledger.GetTotals().InputTokens);
        Assert.Equal(documents, committed.Count);
        output.WriteLine($"ingestion at {rate:P0}: {documents} documents, {runs} runs ({failures} failed), {chaos.Faults} faults injected, {paid.Count} texts paid for {documents * 3} chunks (seed {seed})");
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(0.20)]
    [InlineData(0.30)]
    public async Task An_evaluation_under_chaos_finishes_every_case_once_and_charges_each_paid_call_once(double rate)
    {
        using var temp = new TempDirectory();
        int cases = 80 * Scale;
        int seed = Environment.TickCount;
        var chaos = new Chaos(rate, seed);
        var ledger = new UsageLedger();
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                string question = messages.Last().Text!;
                answered.AddOrUpdate(question, 1, static (_, n) => n + 1);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer to " + question)) { ModelId = "m", Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 } });
            },
        };
        IChatClient client = new ChaosChatClient(model, chaos.Pipeline()).AsBuilder()
            .UseUsageTracking(ledger, o => o.Prices["m"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m })
            .UseResilience(o => Retries(o))
            .Build();
        var dataset = new EvaluationDataset("soak", [.. Enumerable.Range(0, cases).Select(i => new EvaluationCase($"c{i:D4}", $"q{i}") { Reference = $"answer to q{i}" })]);
        var options = new EvaluationRunnerOptions { RunName = "soak", OutputDirectory = temp.Path, MaxConcurrency = 4, UsageLedger = ledger };

        int runs = 0;
        EvaluationRun run;
        do
        {
            Assert.True(++runs <= MaxRuns, $"not finished after {MaxRuns} runs at {rate:P0} (seed {seed})");
            run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(dataset, EvaluationTargets.FromChatClient(client));
            Assert.All(run.Cases.Where(static c => c.Error is not null), c => Assert.Contains("failed with HTTP 503 (a server error at the provider) after 3 attempts", c.Error, StringComparison.Ordinal));
        }
        while (run.Cases.Any(static c => c.Error is not null));

        // Each question reached the model exactly once over all runs (a finished case is never run again), the ledger
        // holds one record per answer, and the run's cost is the sum of the answers' prices.
        Assert.Equal(cases, answered.Count);
        Assert.All(answered, static a => Assert.Equal(1, a.Value));
        Assert.Equal(cases, ledger.GetTotals().Calls);
        Assert.Equal(cases * ((10 * 1m) + (5 * 2m)) / 1_000_000m, run.Cases.Sum(static c => c.Cost ?? 0));
        Assert.All(run.Cases, static c => Assert.Equal(1.0, c.GetValue(ExactMatchEvaluator.MetricName)));
        output.WriteLine($"evaluation at {rate:P0}: {cases} cases, {runs} runs, {chaos.Faults} faults injected (seed {seed})");
    }

    /// <summary>A failed run's error says what failed: the model after its retries (AiEng's message), or the store, wrapped with the document.</summary>
    private static void AssertClear(Exception error, int seed)
    {
        string message = error is IngestionException ? error.Message + " / " + error.InnerException?.Message : error.Message;
        Assert.True(
            message.Contains("failed with HTTP 503 (a server error at the provider) after 3 attempts", StringComparison.Ordinal) || message.Contains("chaos: the store's commit failed", StringComparison.Ordinal),
            $"unclear error (seed {seed}): {error}");
    }
}
