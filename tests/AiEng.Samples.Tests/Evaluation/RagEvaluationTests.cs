using AiEng.Evaluation;
using AiEng.Samples.Evaluation;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Tests.Evaluation;

public sealed class RagEvaluationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aieng-eval-sample-").FullName;
    // Bag of hashed words: deterministic, fast, and similar texts get similar vectors.
    private readonly TestEmbeddingGenerator _embeddings = TestEmbeddingGenerator.FromFunction(static text =>
    {
        var vector = new float[64];
        foreach (string word in text.ToUpperInvariant().Split([' ', '.', ',', '?', '\n', '#'], StringSplitOptions.RemoveEmptyEntries))
        {
            vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % 64)] += 1;
        }

        vector[0] += 0.01f;   // never a zero vector
        return vector;
    });

    public RagEvaluationTests()
    {
        string docs = Directory.CreateDirectory(Path.Combine(_root, "docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "cats.md"), "# Cats\n\nCats sleep sixteen hours a day. A cat purrs when it is content.\n");
        File.WriteAllText(Path.Combine(docs, "rivers.md"), "# Rivers\n\nThe Nile is the longest river in Africa. Rivers carry sediment to the sea.\n");
        File.WriteAllText(Path.Combine(docs, "bread.md"), "# Bread\n\nYeast makes bread dough rise. Sourdough uses a starter instead of dry yeast.\n");
        File.WriteAllLines(Path.Combine(_root, "questions.jsonl"),
        [
            """{"id": "cats", "input": "How many hours a day do cats sleep?", "reference": "Cats sleep sixteen hours a day.", "relevance": {"cats.md": 1}, "metadata": {"mustContain": "sixteen"}}""",
            """{"id": "nile", "input": "Which is the longest river in Africa?", "reference": "The Nile is the longest river in Africa.", "relevance": {"rivers.md": 1}, "metadata": {"mustContain": "Nile"}}""",
            """{"id": "yeast", "input": "What makes bread dough rise?", "reference": "Yeast makes bread dough rise.", "relevance": {"bread.md": 1}}""",
        ]);
    }

    public void Dispose()
    {
        _embeddings.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Writes_every_report_with_answer_and_retrieval_metrics()
    {
        var output = new StringWriter();
        var (run, exitCode) = await RunAsync(Settings("hybrid", 2), judge: null, output);

        Assert.Equal(RagEvaluation.Passed, exitCode);
        foreach (string file in new[] { "report.json", "summary.md", "junit.xml", "report.html", "cases.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(_root, "out", "hybrid", file)), file);
        }

        Assert.Equal(3, run.Cases.Count);
        Assert.All(run.Cases, c => Assert.Null(c.Error));
        Assert.Equal(1.0, run.Summarize("HitRate@3").Mean);
        Assert.Equal("cats.md", run.Cases[0].RetrievedIds![0]);
        Assert.Contains("sixteen", run.Cases[0].Output, StringComparison.Ordinal);
        Assert.Equal(2, run.Summarize("Contains").Count);   // the third case lists no phrases
        Assert.InRange(run.Summarize("Token F1").Mean!.Value, 0.1, 1.0);   // the responder adds its offline notice to each quote
        Assert.NotNull(run.Summarize("Embedding Similarity").Mean);
        Assert.Contains("Recall@3", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_model_adds_the_llm_judges_and_unreadable_judge_output_becomes_a_diagnostic()
    {
        // The judge answers the answer-relevancy prompt (it generates the question back) and nothing else readably.
        using var judge = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                string prompt = string.Join("\n", messages.Select(m => m.Text));
                string reply = prompt.Contains("noncommittal", StringComparison.OrdinalIgnoreCase)
                    ? "{\"questions\": [\"How many hours a day do cats sleep?\"], \"noncommittal\": false}"
                    : "I would rather not say.";
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
            },
        };

        var (run, _) = await RunAsync(Settings("hybrid", 2), judge, new StringWriter());

        Assert.True(judge.CallCount > 0);
        var cats = run.Cases[0];
        Assert.InRange(cats.GetValue("Answer Relevancy")!.Value, 0.999, 1.001);   // the same question back: cosine 1
        foreach (string judged in new[] { "Faithfulness", "Correctness" })
        {
            var metric = cats.Metrics.Single(m => m.Name == judged);
            Assert.Null(metric.Value);
            Assert.NotEmpty(metric.Diagnostics);
        }
    }

    [Fact]
    public async Task A_second_run_with_another_setting_is_compared_with_the_first()
    {
        await RunAsync(Settings("hybrid", 2), judge: null, TextWriter.Null);
        var output = new StringWriter();

        var (run, _) = await RunAsync(Settings("keyword", 1, baseline: Path.Combine(_root, "out", "hybrid")), judge: null, output);

        string text = output.ToString();
        Assert.Contains("Compared with 'hybrid'", text, StringComparison.Ordinal);
        Assert.Matches(@"Token F1\s+[0-9.]+\s+[0-9.]+\s+[-+][0-9.]+\s+\[[-+][0-9.]+, [-+][0-9.]+\]", text);
        Assert.Contains("Compared with", File.ReadAllText(Path.Combine(_root, "out", "keyword", "summary.md")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("keyword", run.Name);
    }

    [Fact]
    public async Task The_gate_fails_with_exit_code_1_when_a_threshold_is_raised_above_the_score()
    {
        var (_, passing) = await RunAsync(Settings("hybrid", 2, gate: [new("HitRate@3", 1.0)]), judge: null, TextWriter.Null);
        var output = new StringWriter();
        var (_, failing) = await RunAsync(Settings("hybrid", 2, gate: [new("HitRate@3", 1.01)]), judge: null, output);

        Assert.Equal(RagEvaluation.Passed, passing);
        Assert.Equal(RagEvaluation.GateFailed, failing);
        Assert.Contains("FAIL mean(HitRate@3) >= 1.01", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("<testcase", File.ReadAllText(Path.Combine(_root, "out", "hybrid", "junit.xml")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_retriever_is_refused_when_the_services_are_added()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddEvaluationSample(new ConfigurationBuilder().Build(), Settings("sparse", 2)));

        Assert.Contains("Unknown retriever 'sparse'", error.Message, StringComparison.Ordinal);
    }

    // One run of the program: its own container with no chat model configured (the offline extractive responder answers),
    // the test's embeddings (which do not report their size: AiEng:Retrieval:Dimensions gives it) and, when given, a judge
    // model named by AiEng:Evaluation:JudgeModel.
    private async Task<(EvaluationRun Run, int ExitCode)> RunAsync(RagEvaluationSettings settings, IChatClient? judge, TextWriter output)
    {
        var configuration = new Dictionary<string, string?> { ["AiEng:Retrieval:Dimensions"] = "64" };
        var services = new ServiceCollection().AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_embeddings);
        if (judge is not null)
        {
            services.AddKeyedSingleton("judge", judge);
            configuration["AiEng:Evaluation:JudgeModel"] = "judge";
        }

        using ServiceProvider provider = services
            .AddEvaluationSample(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build(), settings)
            .BuildServiceProvider();
        return await RagEvaluation.RunAsync(provider, settings, output);
    }

    private RagEvaluationSettings Settings(string retriever, int top, string? baseline = null, IReadOnlyList<KeyValuePair<string, double>>? gate = null) => new()
    {
        DocsDirectory = Path.Combine(_root, "docs"),
        QuestionsPath = Path.Combine(_root, "questions.jsonl"),
        OutputDirectory = Path.Combine(_root, "out", retriever),
        Retriever = retriever,
        Top = top,
        RunName = retriever,
        BaselinePath = baseline,
        Gate = gate is not null,
        Minimums = gate ?? [],
    };
}
