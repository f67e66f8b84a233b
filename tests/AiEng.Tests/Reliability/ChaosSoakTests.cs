using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.Retrieval.Ingestion;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Polly;
using Xunit.Abstractions;

namespace AiEng.Tests.Reliability;

/// <summary>
/// The chaos soak: ingestion, evaluation and batch runs with Polly's chaos strategies (fault, outcome and latency)
/// injected into the embedding model, the store and the chat model at 10, 20 and 30%, behind AiEng's resilience. Every
/// run completes or fails with a clear error; a rerun resumes; after every run nothing committed is lost, nothing finished
/// is done again and nothing is charged twice. Size: <c>AIENG_SOAK_SCALE</c> (default 1, as in CI; <c>eng/soak.sh</c>
/// runs more).
/// </summary>
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("AIENG_SOAK_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out int scale) && scale > 0 ? scale : 1;

    // The size of the soak's embeddings.
    private const int Dimensions = 8;

    // A store fault or a broken embedding result fails an ingestion run (neither is retried: the run stops and a rerun
    // resumes), so at 30% a run commits only a few documents; the bound only stops a soak that makes no progress.
    private static readonly int MaxRuns = 200 * Scale;

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

                return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(static t => new Embedding<float>(TestVectors.HashedBagOfWords(t, Dimensions)))) { Usage = new UsageDetails { InputTokenCount = texts.Length } });
            },
        };
        // Results put in the model's place: broken ones (none, one short, holding NaN, another model's size), which must
        // fail the run before anything of their documents is written, and ones that look right (the right number and
        // size, finite, but of another text), which no ingestor can tell from the model's and are committed as they came.
        int lookAlikeTexts = 0;
        Func<ResilienceContext, GeneratedEmbeddings<Embedding<float>>>[] outcomes =
        [
            _ => ChaosOutcomes.NoEmbeddings(),
            context => ChaosOutcomes.MissingEmbedding(context, Dimensions),
            context => ChaosOutcomes.NaNEmbeddings(context, Dimensions),
            context => ChaosOutcomes.WrongSizeEmbeddings(context, Dimensions),
            context =>
            {
                GeneratedEmbeddings<Embedding<float>> lookAlike = ChaosOutcomes.LookAlikeEmbeddings(context, Dimensions);
                Interlocked.Add(ref lookAlikeTexts, lookAlike.Count);
                return lookAlike;
            },
        ];
        IEmbeddingGenerator<string, Embedding<float>> embedder = new ChaosEmbeddingGenerator(model, chaos.Pipeline(outcomes)).AsBuilder()
            .UseUsageTracking(ledger)
            .UseResilience(o => Retries(o))
            .Build();
        var store = new FakeChunkCollection(atomic: true, dimensions: Dimensions) { ExposesDefinition = true, OnWrite = _ => chaos.MaybeFail("the store's commit") };
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

        // Every paid call is recorded once: a token per text that reached the model, and the one token of each result put
        // in its place.
        Assert.Equal(paid.Count + chaos.Outcomes, ledger.GetTotals().InputTokens);
        Assert.Equal(documents, committed.Count);

        // Every stored vector is the model's for its own text or a look-alike's, whole: none broken, none of a failed result.
        float[] lookAlikeVector = TestVectors.HashedBagOfWords(ChaosOutcomes.LookAlikeText, Dimensions);
        int keptLookAlikes = 0;
        foreach (ChunkRecord record in store.Records)
        {
            float[] stored = record.Embedding.ToArray();
            if (stored.SequenceEqual(lookAlikeVector))
            {
                keptLookAlikes++;
            }
            else
            {
                Assert.True(stored.SequenceEqual(TestVectors.HashedBagOfWords(record.Text, Dimensions)), $"chunk {record.DocumentId}#{record.ChunkIndex} holds a vector of neither its text nor a look-alike (seed {seed})");
            }
        }

        Assert.True(keptLookAlikes <= lookAlikeTexts, $"{keptLookAlikes} look-alike vectors stored, {lookAlikeTexts} injected (seed {seed})");
        output.WriteLine($"ingestion at {rate:P0}: {documents} documents, {runs} runs ({failures} failed), {chaos.Faults} faults and {chaos.Outcomes} results injected in the model's place ({lookAlikeTexts} look-alike embeddings, {keptLookAlikes} of them kept), {paid.Count} texts paid for {documents * 3} chunks (seed {seed})");
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
        int truncated = 0;
        IChatClient client = ChaosChatModel(chaos, ledger, answered, ChaosOutcomes.EmptyAnswer, ChaosOutcomes.WrongAnswer, () =>
        {
            Interlocked.Increment(ref truncated);
            return ChaosOutcomes.TruncatedAnswer();
        });
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

        // Each case finished once over all runs (a finished case is never run again): either its question reached the model
        // exactly once, or the model's answer was replaced by an empty one, which is scored (0), not hidden or asked again.
        // The ledger holds one record per paid answer, and the run's cost is the sum of their prices.
        Assert.All(answered, static a => Assert.Equal(1, a.Value));
        Assert.Equal(cases, answered.Count + chaos.Outcomes);
        Assert.Equal(cases, ledger.GetTotals().Calls);
        Assert.Equal(cases * ((10 * 1m) + (5 * 2m)) / 1_000_000m, run.Cases.Sum(static c => c.Cost ?? 0));
        Assert.Equal(answered.Count, run.Cases.Count(static c => c.GetValue(ExactMatchEvaluator.MetricName) == 1.0));
        // An answer put in the model's place (empty, plausible but wrong, or cut at the token limit) is kept as it is and
        // scored 0, not asked again; one cut short says so in its finish reason, which the report lists.
        string[] injected = [string.Empty, ChaosOutcomes.WrongAnswerText, ChaosOutcomes.TruncatedAnswerText];
        Assert.All(run.Cases.Where(c => !answered.ContainsKey(c.Input)), c =>
        {
            Assert.Contains(c.Output, injected);
            Assert.Equal(0.0, c.GetValue(ExactMatchEvaluator.MetricName));
        });
        Assert.Equal(truncated, run.Cases.Count(static c => c.FinishReason == "length"));
        Assert.All(run.Cases.Where(static c => c.FinishReason == "length"), static c => Assert.Equal(ChaosOutcomes.TruncatedAnswerText, c.Output));
        if (truncated > 0)
        {
            Assert.Contains($"{truncated} answers did not finish", EvaluationReports.ToMarkdown(run), StringComparison.Ordinal);
        }

        output.WriteLine($"evaluation at {rate:P0}: {cases} cases, {runs} runs, {chaos.Faults} faults and {chaos.Outcomes} answers injected in the model's place ({truncated} cut at the token limit) (seed {seed})");
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(0.20)]
    [InlineData(0.30)]
    public async Task A_batch_under_chaos_keeps_each_answer_once_asks_no_finished_item_again_and_charges_each_paid_call_once(double rate)
    {
        using var temp = new TempDirectory();
        int items = 100 * Scale;
        int seed = Environment.TickCount;
        var chaos = new Chaos(rate, seed);
        var random = new Random(seed);
        var ledger = new UsageLedger();
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int lookAlikes = 0;
        Func<ChatResponse> LookAlike(Func<ChatResponse> outcome) => () =>
        {
            Interlocked.Increment(ref lookAlikes);
            return outcome();
        };
        IChatClient client = ChaosChatModel(
            chaos, ledger, answered, ChaosOutcomes.EmptyAnswer, ChaosOutcomes.FilteredAnswer, LookAlike(ChaosOutcomes.WrongAnswer), LookAlike(ChaosOutcomes.TruncatedAnswer));
        BatchItem<string>[] prompts = [.. Enumerable.Range(0, items).Select(i => new BatchItem<string>($"p{i:D4}", $"p{i:D4}"))];
        string results = Path.Combine(temp.Path, "results.jsonl");

        int runs = 0, stopped = 0, cancelled = 0;
        BatchRunResult<string>? result = null;
        while (result is not { Succeeded: var succeeded } || succeeded < items)
        {
            Assert.True(++runs <= MaxRuns, $"not finished after {MaxRuns} runs at {rate:P0} (seed {seed})");
            string where = $"run {runs} at {rate:P0} (seed {seed})";
            HashSet<string> finished = BatchFileChecks.Succeeded(results, where, maxTorn: 0);
            var answeredBefore = new Dictionary<string, int>(answered, StringComparer.Ordinal);

            // Every other run stops at its first failure, and one in four is cancelled after a random number of items: each
            // way of ending must leave a results file the next run resumes from.
            using var cancellation = new CancellationTokenSource();
            int cancelAfter = random.Next(4) == 0 ? random.Next(1, 20) : int.MaxValue;
            var options = new BatchRunnerOptions
            {
                ResultsPath = results,
                MaxConcurrency = 4,
                ContinueOnItemFailure = runs % 2 == 1,
                Progress = new CancelAfter(cancelAfter, cancellation),
            };
            result = null;
            try
            {
                result = await new BatchRunner(options).RunChatAsync(client, prompts, cancellationToken: cancellation.Token);
                Assert.All(result.Items.Where(static i => i.Status == BatchItemStatus.Failed), i => AssertClearAnswerFailure(i.Error!, where));
                Assert.Equal(finished.Count, result.Resumed);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                cancelled++;
            }
            catch (ModelRequestException stop) when (!options.ContinueOnItemFailure)
            {
                stopped++;
                AssertClearAnswerFailure(stop.Message, where);
            }

            // No item that had succeeded before this run reached the model again, and none was answered twice.
            string[] again = [.. answered.Where(a => a.Value != answeredBefore.GetValueOrDefault(a.Key) && finished.Contains(a.Key)).Select(static a => a.Key)];
            Assert.True(again.Length == 0, $"{where}: finished items were asked again: {string.Join(", ", again.Take(5))}");
            Assert.All(answered, a => Assert.True(a.Value == 1, $"{where}: '{a.Key}' was answered {a.Value} times"));

            // Each paid call is in the ledger once: the model's answers and the wrong answers put in their place.
            Assert.Equal(answered.Count + chaos.Outcomes, ledger.GetTotals().Calls);
        }

        // The file holds each item's answer once, and the last run returned them all, in input order. An answer that looks
        // like one (plausible but wrong, or cut at the token limit) is a result: kept once, as it came, and not asked again;
        // every other item has the model's own answer.
        HashSet<string> done = BatchFileChecks.Succeeded(results, "at the end", maxTorn: 0);
        Assert.Equal(items, done.Count);
        string[] kept = [.. result.Items.Select(static i => i.Value!)];
        Assert.All(prompts.Zip(kept), pair => Assert.True(
            pair.Second == "answer to " + pair.First.Input || pair.Second is ChaosOutcomes.WrongAnswerText or ChaosOutcomes.TruncatedAnswerText,
            $"{pair.First.Id}: unexpected answer '{pair.Second}' (seed {seed})"));
        int keptLookAlikes = kept.Count(static v => v is ChaosOutcomes.WrongAnswerText or ChaosOutcomes.TruncatedAnswerText);
        Assert.Equal(lookAlikes, keptLookAlikes);
        Assert.Equal(items, answered.Count + keptLookAlikes);
        output.WriteLine($"batch at {rate:P0}: {items} items, {runs} runs ({stopped} stopped by a failure, {cancelled} cancelled), {chaos.Faults} faults and {chaos.Outcomes} answers injected in the model's place ({lookAlikes} that look like answers, kept), {ledger.GetTotals().Calls} paid calls (seed {seed})");
    }

    /// <summary>
    /// A chat model that answers "answer to &lt;question&gt;" and counts each question in <paramref name="answered"/>, behind
    /// chaos (faults, latency and <paramref name="outcomes"/> in place of its answer), the usage ledger (every answer paid
    /// 10 and 5 tokens at 1 and 2 per million) and AiEng's resilience.
    /// </summary>
    private static IChatClient ChaosChatModel(Chaos chaos, UsageLedger ledger, ConcurrentDictionary<string, int> answered, params Func<ChatResponse>[] outcomes)
    {
        var model = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                string question = messages.Last().Text!;
                answered.AddOrUpdate(question, 1, static (_, n) => n + 1);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer to " + question)) { ModelId = "m", Usage = ChaosOutcomes.Usage() });
            },
        };
        return new ChaosChatClient(model, chaos.Pipeline(outcomes)).AsBuilder()
            .UseUsageTracking(ledger, o => o.Prices["m"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m })
            .UseResilience(o => Retries(o))
            .Build();
    }

    /// <summary>A failed item says why: the model after its retries, or an answer with no text and its finish reason.</summary>
    private static void AssertClearAnswerFailure(string error, string where) => Assert.True(
        error.Contains("failed with HTTP 503 (a server error at the provider) after 3 attempts", StringComparison.Ordinal)
            || error.Contains("The model 'm' returned an answer with no text (finish reason: stop)", StringComparison.Ordinal)
            || error.Contains("The model 'm' returned an answer with no text (finish reason: content_filter)", StringComparison.Ordinal),
        $"{where}: unclear error: {error}");

    /// <summary>A failed run's error says what failed: the model after its retries (AiEng's message), or the store, wrapped with the document.</summary>
    private static void AssertClear(Exception error, int seed)
    {
        string message = error is IngestionException ? error.Message + " / " + error.InnerException?.Message : error.Message;
        Assert.True(
            message.Contains("failed with HTTP 503 (a server error at the provider) after 3 attempts", StringComparison.Ordinal)
                || message.Contains("chaos: the store's commit failed", StringComparison.Ordinal)
                || Regex.IsMatch(message, "The embedding generator returned ([0-9]+) embeddings for ([0-9]+) texts")
                || message.Contains("The embedding generator returned an embedding holding NaN", StringComparison.Ordinal)
                || message.Contains("Embedding dimension mismatch", StringComparison.Ordinal),
            $"unclear error (seed {seed}): {error}");
    }
}
