// AiEng PromptEngineering: one task (support-ticket classification with order-number extraction) done three ways —
// zero-shot, few-shot with semantic example selection (local MiniLM embeddings), and structured output.
// Offline it shows the rendered prompts, the selected examples and token and cost estimates per variant; with a model
// configured (AiEng__Chat__Provider / __Model / __ApiKey) it runs each variant on a small labelled set.
using System.Globalization;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Prompts;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAiEng(builder.Configuration).AddOnnx().AddOpenAI().AddOllama();
using var host = builder.Build();
await host.StartAsync();

string root = AppContext.BaseDirectory;
PromptRegistry registry = PromptRegistry.FromDirectory(Path.Combine(root, "prompts"));
ExampleSet pool = ExampleSet.LoadJsonl(Path.Combine(root, "data", "examples.jsonl"));
ExampleSet test = ExampleSet.LoadJsonl(Path.Combine(root, "data", "test.jsonl"));

var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
EmbeddedExamples embedded = await EmbeddedExamples.CreateAsync(embeddings, pool.Examples);
var selector = new SemanticExampleSelector(embedded, embeddings, count: 3);

// Illustrative list prices (USD per million tokens) for the cost estimate; set your own for your model.
const string PricedModel = "gpt-4o-mini";
var price = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m };
ITokenCounter counter = TiktokenTokenCounter.ForModel(PricedModel);

var chat = host.Services.GetRequiredService<IChatClient>();
bool offline = chat.GetService<ChatClientMetadata>()?.ProviderName == ExtractiveResponder.ProviderName;

string sample = test.Examples[0].Input;
foreach (string variant in new[] { "zero-shot", "few-shot", "structured" })
{
    IPromptTemplate prompt = registry.Get("classify-ticket@" + variant);
    IReadOnlyList<PromptExample> shots = variant == "zero-shot" ? [] : await selector.SelectAsync(sample);
    PromptRenderResult rendered = prompt.Render(Inputs(sample, shots, variant), new PromptRenderOptions { TokenCounter = counter });
    Console.WriteLine($"== {prompt.Id} ({prompt.Id.ContentHash[..19]}...)");
    foreach (PromptExample shot in shots)
    {
        Console.WriteLine($"   example: \"{shot.Input}\" -> {shot.Output}");
    }

    foreach (ChatMessage message in rendered.Messages)
    {
        Console.WriteLine($"   [{message.Role}] {message.Text.ReplaceLineEndings(" / ")}");
    }

    int output = rendered.Options.MaxOutputTokens ?? 0;
    decimal cost = (((rendered.InputTokens ?? 0) * price.InputPerMillion) + (output * price.OutputPerMillion)) / 1_000_000m;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ~{rendered.InputTokens} input tokens, <= {output} output; <= ${cost * 1000:F4} per 1,000 tickets at {PricedModel} list prices"));
}

if (offline)
{
    Console.WriteLine();
    Console.WriteLine("No language model is configured, so the variants are not run. To compare their accuracy and cost, set for example:");
    Console.WriteLine("  AiEng__Chat__Provider=OpenAI  AiEng__Chat__Model=gpt-4o-mini  AiEng__Chat__ApiKey=sk-...");
    return;
}

Console.WriteLine();
Console.WriteLine("variant      accuracy   input tokens   output tokens");
foreach (string variant in new[] { "zero-shot", "few-shot", "structured" })
{
    IPromptTemplate prompt = registry.Get("classify-ticket@" + variant);
    int correct = 0;
    long inputTokens = 0, outputTokens = 0;
    foreach (PromptExample item in test.Examples)
    {
        IReadOnlyList<PromptExample> shots = variant == "zero-shot" ? [] : await selector.SelectAsync(item.Input);
        PromptRenderResult rendered = prompt.Render(Inputs(item.Input, shots, variant));
        string answer;
        if (variant == "structured")
        {
            StructuredResponse<TicketFields> result = await chat.GetValidatedResponseAsync<TicketFields>(rendered.Messages, rendered.Options);
            answer = result.Result.Category;
            inputTokens += result.Usage?.InputTokenCount ?? 0;
            outputTokens += result.Usage?.OutputTokenCount ?? 0;
        }
        else
        {
            ChatResponse response = await chat.GetResponseAsync(rendered.Messages, rendered.Options);
            answer = response.Text;
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            outputTokens += response.Usage?.OutputTokenCount ?? 0;
        }

        if (answer.Trim().Trim('.').Equals(item.Output, StringComparison.OrdinalIgnoreCase))
        {
            correct++;
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant,-12} {correct}/{test.Examples.Count,-8} {inputTokens,12} {outputTokens,15}"));
}

static Dictionary<string, object?> Inputs(string ticket, IReadOnlyList<PromptExample> shots, string variant)
    => variant == "zero-shot" ? new() { ["ticket"] = ticket } : new() { ["ticket"] = ticket, ["examples"] = shots };

/// <summary>The structured answer: a category and the order number, if the ticket names one.</summary>
internal sealed record TicketFields(string Category, string? OrderNumber);
