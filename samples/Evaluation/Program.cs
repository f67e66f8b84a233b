// AiEng evaluation sample: evaluates a RAG pipeline over the repository's own docs/ with the questions in
// data/questions.jsonl. Offline (no model configured) it scores the extractive responder's answers with deterministic,
// embedding and retrieval metrics; with AiEng__Chat__Provider/Model/ApiKey set it answers with that model and adds the
// LLM judges (faithfulness, answer relevancy, correctness).
//
//   dotnet run --project samples/Evaluation                                  # hybrid retrieval, top 5
//   dotnet run --project samples/Evaluation -- --retriever dense --baseline samples/Evaluation/out/hybrid-top5 --gate
//   dotnet run --project samples/Evaluation -- gate --run samples/Evaluation/out/dense-top5/report.json --min "Recall@5=0.8"
using System.Globalization;
using AiEng.Evaluation;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Samples.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length > 0 && args[0] == "gate")
{
    // CI step: gate a finished run's report.json (exit 0 pass, 1 a check failed, 2 bad arguments).
    return await EvaluationGateCommand.RunAsync(args[1..], Console.Out);
}

string root = FindRepositoryRoot();
string sampleDirectory = Path.Combine(root, "samples", "Evaluation");
string retriever = "hybrid", docs = Path.Combine(root, "docs"), questions = Path.Combine(sampleDirectory, "data", "questions.jsonl");
string? output = null, baseline = null, name = null, cacheRoot = null;
int top = 5;
bool gate = false, resume = false;
var minimums = new List<KeyValuePair<string, double>>();
var rest = new List<string>();
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'{args[i]}' needs a value.");
        switch (args[i])
        {
            case "--retriever": retriever = Value(); _ = RagEvaluation.ParseRetriever(retriever); break;
            case "--top": top = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--docs": docs = Path.GetFullPath(Value()); break;
            case "--questions": questions = Path.GetFullPath(Value()); break;
            case "--out": output = Path.GetFullPath(Value()); break;
            case "--cache": cacheRoot = Path.GetFullPath(Value()); break;
            case "--name": name = Value(); break;
            case "--baseline": baseline = Path.GetFullPath(Value()); break;
            case "--gate": gate = true; break;
            case "--resume": resume = true; break;
            case "--min":
                string text = Value();
                int equals = text.LastIndexOf('=');
                minimums.Add(new(text[..Math.Max(equals, 0)], double.Parse(text[(equals + 1)..], CultureInfo.InvariantCulture)));
                break;
            default: rest.Add(args[i]); break;   // configuration overrides such as --AiEng:Chat:Model=...
        }
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("usage: [--retriever hybrid|dense|keyword] [--top 5] [--docs DIR] [--questions FILE] [--out DIR] [--cache DIR] [--name NAME]");
    Console.Error.WriteLine("       [--baseline RUN_DIR] [--gate] [--min \"Metric=0.5\"]... [--resume]");
    Console.Error.WriteLine("       gate --run report.json [--baseline report.json] [--min \"Metric=0.6\"]... [--no-regression \"Metric=0.02\"]...");
    return EvaluationGateCommand.UsageError;
}

string outRoot = Path.Combine(sampleDirectory, "out");
var settings = new RagEvaluationSettings
{
    DocsDirectory = docs,
    QuestionsPath = questions,
    Retriever = retriever,
    Top = top,
    RunName = name,
    OutputDirectory = output ?? Path.Combine(outRoot, name ?? $"{retriever}-top{top}"),
    BaselinePath = baseline,
    Gate = gate,
    Minimums = minimums,
    Resume = resume,
    CacheDirectory = Path.Combine(cacheRoot ?? Path.Combine(outRoot, "cache"), "responses"),
    EmbeddingCacheDirectory = Path.Combine(cacheRoot ?? Path.Combine(outRoot, "cache"), "embeddings"),
};

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. rest], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddEvaluationSample(builder.Configuration, settings);
using var host = builder.Build();
await host.StartAsync();

var chat = host.Services.GetRequiredService<IChatClient>();
var metadata = chat.GetService<ChatClientMetadata>();
bool offline = metadata?.ProviderName == ExtractiveResponder.ProviderName;
if (offline)
{
    Console.WriteLine("No language model is configured: answers come from the extractive responder, and the LLM judges are skipped.");
    Console.WriteLine("To add them, set e.g. AiEng__Chat__Provider=OpenAI AiEng__Chat__Model=gpt-4o-mini AiEng__Chat__ApiKey=sk-...");
}
else
{
    Console.WriteLine($"Chat model and judge: {metadata?.DefaultModelId} from {metadata?.ProviderName}");
}

try
{
    var (_, exitCode) = await RagEvaluation.RunAsync(host.Services, settings, Console.Out);
    var ledger = host.Services.GetRequiredService<IUsageLedger>() as UsageLedger;
    if (ledger?.GetTotals() is { } totals)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model calls: {totals.Calls}, tokens: {totals.TotalTokens}, cost: {totals.Cost:0.0000}"));
    }

    await host.StopAsync();
    return exitCode;
}
catch (Exception ex) when (ex is ArgumentException or IOException or EvaluationDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return EvaluationGateCommand.UsageError;
}

// The repository root is the folder holding AiEng.sln, above the working directory or the program.
static string FindRepositoryRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AiEng.sln")))
            {
                return directory.FullName;
            }
        }
    }

    throw new DirectoryNotFoundException("AiEng.sln was not found above the working directory or the program; pass --docs and --questions.");
}
