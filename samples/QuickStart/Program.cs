// AiEng QuickStart: dependency injection and configuration, tokens, chat, embeddings, and a usage/cost summary.
// Runs offline by default; set AiEng__Chat__Provider / __Model / __ApiKey (or an Ollama endpoint) to use a real model.
using System.Globalization;
using System.Numerics.Tensors;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Onnx;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// appsettings.json (next to the program, wherever it is started from), environment variables, command line.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAiEng(builder.Configuration).AddOnnx().AddOpenAI().AddOllama();
using var host = builder.Build();
await host.StartAsync();                              // validates the AiEng options: bad configuration stops here

// 1. Tokens: the same sentence under two tokenizers of two model families.
const string sentence = "Retrieval-augmented generation grounds a chatbot's answers in your documents.";
Section("1. Tokens");
Console.WriteLine($"\"{sentence}\"");
ShowTokens("o200k_base (GPT-4o family, autoregressive chat models)", TiktokenTokenCounter.O200kBase);
using (var vocabulary = MiniLmModel.OpenVocabulary())
{
    ShowTokens("BERT WordPiece (MiniLM encoder, a masked-language-model family)", BertTokenCounter.Create(vocabulary));
}

// 2. Chat with the default provider.
Section("2. Chat");
var chat = host.Services.GetRequiredService<IChatClient>();
var metadata = chat.GetService<ChatClientMetadata>();
if (metadata?.ProviderName == ExtractiveResponder.ProviderName)
{
    Console.WriteLine("No language model is configured: answers come from the extractive responder, which quotes the context.");
    Console.WriteLine("To use a model, set for example:");
    Console.WriteLine("  AiEng__Chat__Provider=OpenAI  AiEng__Chat__Model=gpt-4o-mini  AiEng__Chat__ApiKey=sk-...");
    Console.WriteLine("  or AiEng__Chat__Provider=Ollama  AiEng__Chat__Model=llama3.2  AiEng__Chat__Endpoint=http://localhost:11434");
}
else
{
    Console.WriteLine($"Chat model: {metadata?.DefaultModelId} from {metadata?.ProviderName}");
}

List<ChatMessage> messages =
[
    new(ChatRole.System, """
        Answer from the context. Context:
        [1] AiEng is a .NET SDK for adapting foundation models to an application.
        [2] Its local embeddings use all-MiniLM-L6-v2, which maps text to 384-dimensional vectors.
        [3] The resilience middleware retries rate-limited calls after the delay the provider asks for.
        [4] Usage tracking records tokens, latency and cost for every call, and budgets stop a call before it is sent.
        """),
    new(ChatRole.User, "How many dimensions do the local embeddings have?"),
];
Console.WriteLine($"Q: {messages[^1].Text}");
var answer = await chat.GetResponseAsync(messages);
Console.WriteLine($"A: {answer.Text}");

messages.Add(new(ChatRole.User, "What stops a call before it is sent?"));
Console.WriteLine($"\nQ (streamed): {messages[^1].Text}");
Console.Write("A: ");
await foreach (var update in chat.GetStreamingResponseAsync(messages))
{
    Console.Write(update.Text);
}

Console.WriteLine();

// 3. Embeddings and similarity, computed locally.
Section("3. Embeddings");
var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
string[] texts =
[
    "The cat sat on the mat.",
    "A kitten was sitting on the rug.",
    "Quarterly revenue grew by eight percent.",
    "Sales rose 8% in the last three months.",
];
var vectors = await embeddings.GenerateAsync(texts);
Console.WriteLine($"{vectors.Count} vectors of {vectors[0].Vector.Length} dimensions from {embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId}");
Console.WriteLine("cosine similarity:");
for (int i = 0; i < texts.Length; i++)
{
    for (int j = i + 1; j < texts.Length; j++)
    {
        var similarity = TensorPrimitives.CosineSimilarity(vectors[i].Vector.Span, vectors[j].Vector.Span);
        Console.WriteLine($"  {similarity,6:F3}  \"{texts[i]}\" ~ \"{texts[j]}\"");
    }
}

// 4. Usage and cost, from the ledger every AiEng client writes to.
Section("4. Usage and cost");
var ledger = (UsageLedger)host.Services.GetRequiredService<IUsageLedger>();
Console.WriteLine($"{"model",-24} {"calls",5} {"input",7} {"output",7} {"estimated",9} {"cost (USD)",11}");
foreach (var (model, totals) in ledger.GetTotalsBy(UsageGrouping.Model).OrderBy(pair => pair.Key, StringComparer.Ordinal))
{
    var cost = totals.UnpricedCalls == totals.Calls ? "unpriced" : totals.Cost.ToString("0.000000", CultureInfo.InvariantCulture);
    Console.WriteLine($"{model,-24} {totals.Calls,5} {totals.InputTokens,7} {totals.OutputTokens,7} {totals.EstimatedCalls,9} {cost,11}");
}

var all = ledger.GetTotals();
Console.WriteLine($"{"total",-24} {all.Calls,5} {all.InputTokens,7} {all.OutputTokens,7} {all.EstimatedCalls,9} {all.Cost.ToString("0.000000", CultureInfo.InvariantCulture),11}");

// What the same chat traffic would cost on a hosted model, from the price table in appsettings.json.
var chatTotals = ledger.GetTotalsBy(UsageGrouping.Operation).GetValueOrDefault(UsageOperations.Chat);
var prices = host.Services.GetRequiredService<IOptions<UsageTrackingOptions>>().Value.Prices;
if (chatTotals is not null && prices.TryGetValue("gpt-4o-mini", out var hosted))
{
    var hostedCost = hosted.GetCost(chatTotals.InputTokens, chatTotals.OutputTokens, chatTotals.CachedInputTokens);
    Console.WriteLine($"\nThe same chat tokens on gpt-4o-mini would cost about {hostedCost.ToString("0.000000", CultureInfo.InvariantCulture)} USD.");
}

await host.StopAsync();

static void Section(string title) => Console.WriteLine($"\n== {title}");

static void ShowTokens(string label, ITokenCounter counter)
{
    var tokens = counter.GetTokens(sentence);
    Console.WriteLine($"{label}: {counter.CountTokens(sentence)} tokens");
    Console.WriteLine("  " + string.Join(" | ", tokens));
}
