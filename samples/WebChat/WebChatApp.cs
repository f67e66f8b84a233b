using System.Reflection;
using AiEng.Inference;
using AiEng.Retrieval;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.VectorData;

namespace AiEng.Samples.WebChat;

/// <summary>The web application: AiEng's services, the page, the answer stream and the source pages. The program and the tests build it here.</summary>
internal static class WebChatApp
{
    /// <summary>
    /// Builds the application: <c>AddAiEng(configuration).AddRetrieval()</c> over a SQLite store at
    /// <see cref="WebChatPaths.DatabasePath"/>, and the endpoints <c>GET /</c> (the page), <c>POST /api/ask</c> (the answer
    /// as server-sent events, see <see cref="ChatEvents"/>; at most <c>WebChat:QuestionsPerMinute</c> a client, see
    /// <see cref="AskRateLimit"/>) and <c>GET /source/{key}</c> (a cited chunk).
    /// </summary>
    /// <param name="args">The host's arguments: configuration such as <c>--urls</c> or <c>--AiEng:Chat:Model=gpt-4o-mini</c>.</param>
    /// <param name="paths">The documents and the store.</param>
    /// <param name="configure">Changes the services or configuration before the application is built (tests use it), or <see langword="null"/>.</param>
    public static WebApplication Build(string[] args, WebChatPaths paths, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        Directory.CreateDirectory(paths.StoreDirectory);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);   // not a line per model call and attempt

        // The application's ledger before AddAiEng, which keeps it: AiEng's in-memory ledger that also tells each request
        // what its own calls used.
        builder.Services.AddSingleton<RequestUsageLedger>();
        builder.Services.AddSingleton<IUsageLedger>(provider => provider.GetRequiredService<RequestUsageLedger>());
        builder.Services.AddAiEng(builder.Configuration)
            .AddOnnx()
            .AddOpenAI()
            .AddOllama()
            .UseEmbeddingDiskCache(paths.EmbeddingCacheDirectory)
            .AddSqliteVectorStore(paths.DatabasePath)
            .AddRetrieval();
        builder.Services.AddSingleton<WebChatAnswerer>();
        configure?.Invoke(builder);
        AskRateLimit.Add(builder.Services, builder.Configuration);

        WebApplication app = builder.Build();

        // The page, its script and its style sheet are embedded in the assembly, so the application serves them from
        // wherever it runs (its own folder, a test's).
        var files = new EmbeddedFileProvider(typeof(WebChatApp).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        app.UseRateLimiter();
        app.MapPost("/api/ask", (AskRequest request, WebChatAnswerer answerer, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(answerer.AnswerAsync(request, cancellationToken)))
            .RequireRateLimiting(AskRateLimit.PolicyName);

        app.MapGet("/source/{key:guid}", async (Guid key, VectorStoreCollection<Guid, ChunkRecord> chunks, CancellationToken cancellationToken) =>
            await chunks.GetAsync(key, cancellationToken: cancellationToken) is { } chunk
                ? Results.Content(SourcePage.Render(chunk), "text/html; charset=utf-8")
                : Results.Text($"No chunk {key} in the index: its document changed or was removed since the link was made. Ask the question again for a fresh link.", "text/plain", statusCode: StatusCodes.Status404NotFound));
        return app;
    }

    /// <summary>
    /// Ingests the Markdown files of <see cref="WebChatPaths.DocsDirectory"/> with the registered <see cref="DocumentIngestor"/>:
    /// incrementally (a document whose content hash is unchanged is skipped without embedding), and documents deleted from
    /// the folder are removed from the index.
    /// </summary>
    public static Task<IngestionResult> IngestAsync(IServiceProvider services, WebChatPaths paths, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var loader = new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["**/*.md"] });
        return services.GetRequiredService<DocumentIngestor>()
            .IngestDirectoryAsync(loader, paths.DocsDirectory, new IngestionOptions { DeleteMissing = true }, progress, cancellationToken);
    }
}
