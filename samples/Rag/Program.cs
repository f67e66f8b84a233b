// AiEng RAG sample: ingests the repository's docs/ into a SQLite vector store (incrementally: a second run skips
// unchanged documents), then answers questions with hybrid retrieval (BM25 + dense) and prints the answer, its citations
// and the retrieved chunks with their scores. Offline by default (local MiniLM embeddings, extractive responder);
// configure AiEng:Chat (appsettings.json or AiEng__Chat__* environment variables) to answer with a real model.
//
// The questions are one conversation, so a follow-up ("and how long does it wait between them?") is condensed into a
// standalone query before retrieval; --ask can be repeated to hold a conversation of your own.
//
//   dotnet run --project samples/Rag [-- --ask "question" [--ask "follow-up"]] [--topic NAME] [--docs DIR] [--store DIR] [--trace]
using AiEng.Samples.Rag;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Spectre.Console;

string? docs = null, store = null, topic = null;
var asked = new List<string>();
bool trace = false;
var hostArgs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--docs" when i + 1 < args.Length: docs = args[++i]; break;
        case "--store" when i + 1 < args.Length: store = args[++i]; break;
        case "--ask" when i + 1 < args.Length: asked.Add(args[++i]); break;
        case "--topic" when i + 1 < args.Length: topic = args[++i]; break;
        case "--trace": trace = true; break;
        case "--help" or "-h":
            Console.WriteLine("usage: dotnet run --project samples/Rag [-- --ask \"question\" [--ask \"follow-up\"]] [--topic NAME] [--docs DIR] [--store DIR] [--trace]");
            Console.WriteLine("  --docs DIR    Markdown folder to ingest (default: docs/ of the repository holding AiEng.sln)");
            Console.WriteLine("  --store DIR   folder of the SQLite store and the embedding cache (default: samples/Rag/.data/)");
            Console.WriteLine("  --ask TEXT    answer this question instead of the four built-in ones; repeat it for a conversation, whose");
            Console.WriteLine("                follow-ups (\"and what about its default?\") are searched as standalone questions");
            Console.WriteLine("  --topic NAME  answer from the documents of one topic only (a file name of docs/ without .md, e.g. retrieval)");
            Console.WriteLine("  --trace       print the OpenTelemetry spans (sources AiEng and Microsoft.Extensions.AI) to the console");
            return 0;
        default: hostArgs.Add(args[i]); break;   // configuration, e.g. --AiEng:Chat:Model=gpt-4o-mini
    }
}

RagPaths paths;
try
{
    paths = RagPaths.Resolve(docs, store, AppContext.BaseDirectory, Directory.GetCurrentDirectory());
}
catch (DirectoryNotFoundException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// appsettings.json (next to the program, wherever it is started from), environment variables, command line.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. hostArgs], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddRagSample(builder.Configuration, paths);
if (trace)
{
    // MEAI's spans of each chat and embedding call, under AiEng's (AddAiEng again returns the same builder).
    builder.Services.AddAiEng(builder.Configuration)
        .ConfigureChatPipeline(chat => chat.UseOpenTelemetry())
        .ConfigureEmbeddingPipeline(embeddings => embeddings.UseOpenTelemetry());
}

// --trace: the OpenTelemetry SDK with the console exporter, for AiEng's source and MEAI's (see docs/observability.md).
using TracerProvider? tracing = trace
    ? Sdk.CreateTracerProviderBuilder().AddSource("AiEng", "Experimental.Microsoft.Extensions.AI").AddConsoleExporter().Build()
    : null;
using var host = builder.Build();
await host.StartAsync();                              // validates the AiEng options: bad configuration stops here

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;                                  // stop between commits; the store stays consistent
    cancellation.Cancel();
};

if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 140;                  // a log or CI: no terminal width to follow, so do not wrap at 80
}

var app = ActivatorUtilities.CreateInstance<RagApp>(host.Services, AnsiConsole.Console);   // its pieces come from the container
try
{
    await app.RunAsync(paths, asked.Count == 0 ? RagApp.DefaultQuestions : asked, topic, cancellation.Token);
}
catch (Microsoft.Extensions.VectorData.VectorStoreException ex)
{
    // For example an index written by an earlier AiEng version: the message says how to rebuild it.
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await host.StopAsync();
return 0;
