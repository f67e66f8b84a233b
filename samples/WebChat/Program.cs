// AiEng web chat sample: a page that answers questions about the repository's docs/ with streamed answers (server-sent
// events), citations that link to the cited chunk, and the tokens and cost of each answer. docs/ is ingested
// incrementally into a SQLite store before the server starts listening (a second start skips unchanged documents).
// Offline by default (local MiniLM embeddings, extractive responder); configure AiEng:Chat (environment variables
// AiEng__Chat__*) to answer with a real model.
//
//   dotnet run --project samples/WebChat [-- --urls http://127.0.0.1:5080] [--docs DIR] [--store DIR]
using System.Globalization;
using AiEng.Retrieval;
using AiEng.Samples.WebChat;

string? docs = null, store = null;
var hostArgs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--docs" when i + 1 < args.Length: docs = args[++i]; break;
        case "--store" when i + 1 < args.Length: store = args[++i]; break;
        case "--help" or "-h":
            Console.WriteLine("usage: dotnet run --project samples/WebChat [-- --urls URL] [--docs DIR] [--store DIR]");
            Console.WriteLine("  --urls URL    where to listen (default http://localhost:5000; ASPNETCORE_URLS works too)");
            Console.WriteLine("  --docs DIR    Markdown folder to ingest (default: docs/ of the repository holding AiEng.sln)");
            Console.WriteLine("  --store DIR   folder of the SQLite store and the embedding cache (default: samples/WebChat/.data/)");
            return 0;
        default: hostArgs.Add(args[i]); break;   // host configuration: --urls, --AiEng:Chat:Model=gpt-4o-mini, ...
    }
}

WebChatPaths paths;
try
{
    paths = WebChatPaths.Resolve(docs, store);
}
catch (DirectoryNotFoundException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await using WebApplication app = WebChatApp.Build([.. hostArgs], paths);

// Ingest before listening: the page is only served once every document is searchable.
Console.WriteLine($"Ingesting {paths.DocsDirectory} into {paths.DatabasePath} ...");
var progress = new Progress<IngestionProgress>(report =>
{
    if (report.DocumentsCompleted > 0 && report.DocumentsCompleted % 5 == 0 && report.Event is IngestionEvent.DocumentAdded or IngestionEvent.DocumentUpdated or IngestionEvent.DocumentUnchanged)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.DocumentsCompleted}/{report.DocumentsTotal?.ToString(CultureInfo.InvariantCulture) ?? "?"} documents"));
    }
});
try
{
    IngestionResult ingested = await WebChatApp.IngestAsync(app.Services, paths, progress, app.Lifetime.ApplicationStopping);
    Console.WriteLine($"Ingested: {ingested}");
}
catch (Microsoft.Extensions.VectorData.VectorStoreException ex)
{
    // For example an index written by an earlier AiEng version or another embedding model: the message says how to rebuild it.
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await app.RunAsync();
return 0;
