using System.Globalization;
using System.Text.Json;
using AiEng.Prompts;
using AiEng.Samples.PromptEngineering;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Tests.PromptEngineering;

/// <summary>Runs the sample offline and against an OpenAI-compatible test server on loopback, over its own prompts and data.</summary>
public sealed class PromptEngineeringAppTests
{
    // The sample's prompts/ and data/ are copied next to the test assembly with the sample's other output.
    private static readonly string Root = AppContext.BaseDirectory;

    [Fact]
    public async Task Offline_prints_every_variant_with_its_examples_tokens_and_the_budget_cut_and_says_no_model_is_configured()
    {
        using ServiceProvider services = new ServiceCollection().AddPromptEngineeringSample(new ConfigurationBuilder().Build(), Root).BuildServiceProvider();
        var output = new StringWriter();

        IReadOnlyList<VariantScore> scores = await CreateApp(services, output).RunAsync(Root);

        Assert.Empty(scores);
        string text = output.ToString();
        foreach (string variant in PromptEngineeringApp.Variants)
        {
            Assert.Contains($"== classify-ticket@{variant} (sha256:", text, StringComparison.Ordinal);
        }

        Assert.Contains("   [user] My credit card was billed two times for order 7781.", text, StringComparison.Ordinal);
        Assert.Contains("   example: \"I was charged twice for order 1043.\" -> billing", text, StringComparison.Ordinal);
        Assert.Contains("input tokens, <= 20 output;", text, StringComparison.Ordinal);
        Assert.Contains($"   within {PromptEngineeringApp.PreviewBudget} tokens: dropped the system section of line 21 (priority 1, -", text, StringComparison.Ordinal);
        Assert.Contains("No language model is configured", text, StringComparison.Ordinal);
        Assert.DoesNotContain("variant      accuracy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_model_configured_prints_the_accuracy_and_cost_of_what_the_model_answered()
    {
        Dictionary<string, string> labels = ExampleSet.LoadJsonl(Path.Combine(Root, "data", "test.jsonl")).Examples.ToDictionary(e => e.Input, e => e.Output);
        List<string> tickets = [.. labels.Keys];
        var models = new List<string>();
        var fewShotMessageCounts = new List<int>();
        await using var server = await OpenAITestServer.StartAsync();
        server.ChatHandler = (request, _) =>
        {
            lock (models)
            {
                models.Add(request.Model);
            }

            string ticket = request.LastUserMessage;
            int index = tickets.IndexOf(ticket);
            string label = labels[ticket];
            OpenAITestChatReply reply;
            if (request.Body.TryGetProperty("response_format", out JsonElement format) && format.GetProperty("type").GetString() == "json_schema")
            {
                // Structured: right on the even tickets (3 of 6), valid JSON either way.
                string category = index % 2 == 0 ? label : "spam";
                reply = new OpenAITestChatReply($$"""{"category": "{{category}}", "orderNumber": null}""") { PromptTokens = 120, CompletionTokens = 15 };
            }
            else if (request.Messages.Count > 2)
            {
                // Few-shot (examples add user/assistant pairs): right on all but the last ticket (5 of 6).
                fewShotMessageCounts.Add(request.Messages.Count);
                reply = new OpenAITestChatReply(index < tickets.Count - 1 ? label : "spam") { PromptTokens = 200, CompletionTokens = 2 };
            }
            else
            {
                // Zero-shot: right on the first two tickets only, in the casing and punctuation a model might use.
                string answer = index < 2 ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(label) + "." : "spam";
                reply = new OpenAITestChatReply(answer) { PromptTokens = 50, CompletionTokens = 2 };
            }

            return ValueTask.FromResult(reply);
        };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Chat:Provider"] = "OpenAI",
            ["AiEng:Chat:Model"] = "gpt-test",
            ["AiEng:Chat:Endpoint"] = server.BaseAddress.ToString(),
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddPromptEngineeringSample(configuration, Root).BuildServiceProvider();
        var output = new StringWriter();

        IReadOnlyList<VariantScore> scores = await CreateApp(services, output).RunAsync(Root);

        Assert.Equal(6, tickets.Count);
        Assert.Equal(
            [("zero-shot", 2, 300L, 12L), ("few-shot", 5, 1200L, 12L), ("structured", 3, 720L, 90L)],
            scores.Select(s => (s.Variant, s.Correct, s.InputTokens, s.OutputTokens)));
        Assert.All(scores, s => Assert.Equal(6, s.Total));

        // The configured model answers every call, not the model the prompt files were written for.
        Assert.Equal(18, models.Count);
        Assert.All(models, m => Assert.Equal("gpt-test", m));
        Assert.Equal(6, fewShotMessageCounts.Count);
        Assert.All(fewShotMessageCounts, count => Assert.Equal(2 + (2 * 3), count));

        // USD per 1,000 tickets at 0.15 / 0.60 per million: (input x 0.15 + output x 0.60) / 1e6 / 6 tickets x 1000.
        string text = output.ToString();
        Assert.Contains("zero-shot    2/6 (33%)                 300              12                  0.0087", text, StringComparison.Ordinal);
        Assert.Contains("few-shot     5/6 (83%)                1200              12                  0.0312", text, StringComparison.Ordinal);
        Assert.Contains("structured   3/6 (50%)                 720              90                  0.0270", text, StringComparison.Ordinal);
        Assert.DoesNotContain("No language model is configured", text, StringComparison.Ordinal);
    }

    private static PromptEngineeringApp CreateApp(ServiceProvider services, TextWriter output) =>
        ActivatorUtilities.CreateInstance<PromptEngineeringApp>(services, output);
}
