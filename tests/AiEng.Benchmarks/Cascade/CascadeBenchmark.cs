using System.Globalization;
using System.Text.Json;
using AiEng.Inference;
using AiEng.Onnx;
using AiEng.Prompts;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Benchmarks.Cascade;

/// <summary>
/// <c>cascade</c>: accuracy and cost per 1,000 requests of four ways to serve a labelled arithmetic task with two priced models
/// (<see cref="SimulatedModels"/>, served over HTTP by <see cref="OpenAITestServer"/> through AiEng's OpenAI provider):
/// the cheap model only, the expensive model only, a cascade (<c>UseCascade</c>: cheap first, escalated on a refusal or an
/// answer that is not valid JSON) and routing by examples (<c>UseExampleRouting</c> over the train split's items, labelled
/// easy to cheap and hard to expensive, with all-MiniLM-L6-v2). Options: <c>--data</c> (the directory of
/// <c>items.train.jsonl</c> and <c>items.test.jsonl</c>, by default the committed set); <c>--neighbors</c> (5) and
/// <c>--threshold</c> (0.5) of the routing.
/// </summary>
/// <remarks>
/// Prices: cheap $0.15 / $0.60 and expensive $2.50 / $10 per million input / output tokens (AiEng:Usage:Prices). The server
/// counts a word as a token. Every cost is read from the usage ledger of the strategy's own service provider; nothing is
/// computed beside it. Not timing-based: the figures are the same on every run.
/// </remarks>
internal static class CascadeBenchmark
{
    private const string Instructions = "Solve the arithmetic question. Reply with JSON only, as {\"answer\": \"<the number>\"}.";

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        string directory = arguments.GetString("data") ?? Path.Combine(AppContext.BaseDirectory, "Cascade", "data");
        int neighbors = arguments.GetInt("neighbors", ExampleRoutingOptions.DefaultNeighbors);
        double threshold = arguments.GetDouble("threshold", ExampleRoutingOptions.DefaultThreshold);
        IReadOnlyList<ArithmeticItem> train = ArithmeticItem.Load(Path.Combine(directory, "items.train.jsonl"));
        IReadOnlyList<ArithmeticItem> test = ArithmeticItem.Load(Path.Combine(directory, "items.test.jsonl"));

        var models = new SimulatedModels([.. train, .. test]);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions
        {
            ChatHandler = models.Answer,
            Models = [SimulatedModels.Cheap, SimulatedModels.Expensive],
        }).ConfigureAwait(false);
        using var embedder = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions());

        var results = new List<StrategyResult>
        {
            await RunAsync("cheap-only", server, test, "cheap", _ => { }).ConfigureAwait(false),
            await RunAsync("expensive-only", server, test, "expensive", _ => { }).ConfigureAwait(false),
            await RunAsync("cascade", server, test, "cheap", aieng => aieng.ConfigureChatPipeline("cheap", b => b.UseCascade(o => o
                .EscalateTo("expensive")
                .RejectRefusals()
                .RequireValidJson<AnswerJson>()))).ConfigureAwait(false),
            await RunAsync("routing-by-examples", server, test, "cheap", aieng => aieng.ConfigureChatPipeline("cheap", b => b.UseExampleRouting(
                o =>
                {
                    foreach (ArithmeticItem item in train)
                    {
                        o.AddExample(item.Question, item.IsHard ? "expensive" : "cheap");
                    }

                    o.FallbackModelName = "cheap";
                    o.Neighbors = neighbors;
                    o.Threshold = threshold;
                },
                embedder))).ConfigureAwait(false),
        };

        decimal expensiveCost = results.Single(r => r.Strategy == "expensive-only").CostPer1000;
        foreach (StrategyResult result in results)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "cascade",
                strategy = result.Strategy,
                requests = test.Count,
                hard_share = Math.Round((double)test.Count(i => i.IsHard) / test.Count, 4),
                accuracy = Math.Round(result.Accuracy, 4),
                cost_per_1000 = Math.Round(result.CostPer1000, 6),
                escalation_rate = Math.Round(result.EscalationRate, 4),
                expensive_share = Math.Round(result.ExpensiveShare, 4),
                cost_ratio_to_expensive = Math.Round((double)(result.CostPer1000 / expensiveCost), 4),
                model_calls = result.Calls,
            }));
        }
    }

    /// <summary>Runs the test items through one strategy with a service provider of its own, and reads its cost from its ledger.</summary>
    private static async Task<StrategyResult> RunAsync(
        string strategy, OpenAITestServer server, IReadOnlyList<ArithmeticItem> items, string entryModel, Action<AiEngBuilder> configure)
    {
        var services = new ServiceCollection();
        AiEngBuilder aieng = services.AddAiEng(Configuration(server)).AddOpenAI();
        configure(aieng);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredKeyedService<IChatClient>(entryModel);

        int correct = 0, expensiveAnswers = 0;
        var options = new ChatOptions { Temperature = 0 };
        foreach (ArithmeticItem item in items)
        {
            ChatResponse response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, item.Question)], options).ConfigureAwait(false);
            correct += IsCorrect(response.Text, item) ? 1 : 0;
            expensiveAnswers += response.ModelId == SimulatedModels.Expensive ? 1 : 0;
        }

        UsageTotals totals = provider.GetRequiredService<IUsageLedger>() is UsageLedger ledger
            ? ledger.GetTotalsBy(UsageGrouping.Operation).GetValueOrDefault(UsageOperations.Chat, UsageTotals.Empty)
            : throw new InvalidOperationException("The benchmark expects AiEng's in-memory usage ledger.");
        if (totals.UnpricedCalls > 0)
        {
            throw new InvalidOperationException($"{strategy}: {totals.UnpricedCalls} calls have no price; check AiEng:Usage:Prices.");
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cascade: {strategy}: {correct}/{items.Count} correct, {totals.Calls} model calls, {totals.Escalations} escalations, cost {totals.Cost:0.000000} USD"));
        return new StrategyResult(
            strategy,
            (double)correct / items.Count,
            totals.Cost / items.Count * 1000,
            (double)totals.Escalations / items.Count,
            (double)expensiveAnswers / items.Count,
            totals.Calls);
    }

    /// <summary>Whether the answer is JSON whose <c>answer</c> is the gold answer; a refusal or prose is wrong.</summary>
    private static bool IsCorrect(string text, ArithmeticItem item)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("answer", out JsonElement answer)
                && answer.ValueKind == JsonValueKind.String
                && answer.GetString()!.Trim() == item.Answer;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IConfiguration Configuration(OpenAITestServer server)
    {
        var settings = new Dictionary<string, string?>();
        foreach ((string name, string model, decimal input, decimal output) in new[]
        {
            ("cheap", SimulatedModels.Cheap, 0.15m, 0.60m),
            ("expensive", SimulatedModels.Expensive, 2.50m, 10m),
        })
        {
            settings[$"AiEng:ChatModels:{name}:Provider"] = "OpenAI";
            settings[$"AiEng:ChatModels:{name}:Model"] = model;
            settings[$"AiEng:ChatModels:{name}:Endpoint"] = server.BaseAddress.ToString();
            settings[$"AiEng:Usage:Prices:{model}:InputPerMillion"] = input.ToString(CultureInfo.InvariantCulture);
            settings[$"AiEng:Usage:Prices:{model}:OutputPerMillion"] = output.ToString(CultureInfo.InvariantCulture);
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>The structured answer the task asks for.</summary>
    internal sealed class AnswerJson
    {
        public required string Answer { get; set; }
    }

    private sealed record StrategyResult(string Strategy, double Accuracy, decimal CostPer1000, double EscalationRate, double ExpensiveShare, long Calls);
}
