using System.CommandLine;
using System.Globalization;
using AiEng.Retrieval;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.Retrieval;

/// <summary>
/// <c>aieng ingest DIR</c>: the registered <see cref="DocumentIngestor"/> over a <see cref="DirectoryDocumentLoader"/>
/// (<see cref="DocumentIngestor.IngestDirectoryAsync"/>): incremental by content hash, one transaction per document.
/// </summary>
internal static class IngestCommand
{
    private static readonly Argument<string> Directory = new("DIR") { Description = "The folder to ingest (recursively): text, Markdown and JSON lines files." };

    private static readonly Option<string[]> Include = new("--include") { Description = "A glob of files to ingest (repeatable). Default: every file the loaders read.", HelpName = "GLOB" };

    private static readonly Option<string[]> Exclude = new("--exclude") { Description = "A glob of files to leave out (repeatable).", HelpName = "GLOB" };

    private static readonly Option<bool> DeleteMissing = new("--delete-missing") { Description = "Delete from the store the documents whose files are gone from DIR." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "ingest",
            "Loads, chunks, embeds and stores the documents of DIR. Incremental: a document whose content is unchanged since the last run is skipped without embedding. Progress (with totals and the estimated time left) goes to standard error; Ctrl+C stops between documents and keeps every document already written.",
            "aieng ingest docs/",
            "aieng ingest docs/ --store sqlite:index.db --include \"**/*.md\" --delete-missing --json");
        command.Add(Directory);
        command.Add(RetrievalStore.Option);
        command.Add(Include);
        command.Add(Exclude);
        command.Add(DeleteMissing);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            string directory = context.ExistingDirectory(context.GetValue(Directory), "DIR");
            string store = string.Empty;
            await using var services = context.BuildServices(builder => store = RetrievalStore.AddTo(builder, context));
            var loaderOptions = new DirectoryDocumentLoaderOptions();
            if (context.GetValue(Include) is { Length: > 0 } include)
            {
                loaderOptions.Include = include;
            }

            if (context.GetValue(Exclude) is { Length: > 0 } exclude)
            {
                loaderOptions.Exclude = exclude;
            }

            var ingestor = services.GetRequiredService<DocumentIngestor>();
            var progress = new SynchronousProgress<IngestionProgress>(report =>
            {
                string eta = report.EstimatedRemaining is TimeSpan left ? string.Create(CultureInfo.InvariantCulture, $", about {Math.Ceiling(left.TotalSeconds):0} s left") : string.Empty;
                string total = report.DocumentsTotal is int known ? "/" + known.ToString(CultureInfo.InvariantCulture) : string.Empty;
                context.Progress(string.Create(CultureInfo.InvariantCulture, $"ingest: {report.DocumentsCompleted}{total} documents, {report.ChunksEmbedded} chunks embedded{eta}"));
            });
            IngestionResult result = await ingestor.IngestDirectoryAsync(
                new DirectoryDocumentLoader(loaderOptions), directory, new IngestionOptions { DeleteMissing = context.GetValue(DeleteMissing) }, progress, cancellationToken);
            context.WriteResult(
                new
                {
                    directory,
                    store,
                    added = result.Added,
                    updated = result.Updated,
                    unchanged = result.Unchanged,
                    deleted = result.Deleted,
                    skipped = result.Skipped,
                    chunks = result.Chunks,
                    embeddingTokens = result.EmbeddingTokens,
                    issues = result.Issues.Select(i => i.ToString()),
                },
                output =>
                {
                    output.WriteLine($"Ingested {directory} into {store}: {result}");
                    foreach (DocumentLoadIssue issue in result.Issues)
                    {
                        output.WriteLine($"  issue: {issue}");
                    }
                });
            return ExitCodes.Ok;
        });
    }
}
