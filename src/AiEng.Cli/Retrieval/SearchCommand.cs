using System.CommandLine;
using System.Globalization;
using AiEng.Retrieval;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.Retrieval;

/// <summary><c>aieng search "query"</c>: the registered <see cref="IRetriever"/> (<see cref="RetrieverExtensions.RetrieveAsync(IRetriever, string, int, CancellationToken)"/>).</summary>
internal static class SearchCommand
{
    private static readonly Argument<string> Query = new("QUERY") { Description = "What to search for." };

    /// <summary>The <c>--top</c> option of search and ask.</summary>
    public static readonly Option<int> Top = new("--top", "-k")
    {
        Description = "How many chunks to retrieve.",
        DefaultValueFactory = _ => 5,
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "search",
            "Searches the ingested chunks with the configured retriever (AiEng:Retrieval; hybrid by default) and prints them ranked, with their scores.",
            "aieng search \"retry on 429\" --top 3",
            "aieng search \"retry on 429\" --store sqlite:index.db --json");
        command.Add(Query);
        command.Add(RetrievalStore.Option);
        command.Add(Top);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            string query = context.GetValue(Query);
            int top = CheckTop(context);
            await using var services = context.BuildServices(builder => RetrievalStore.AddTo(builder, context));
            IReadOnlyList<RetrievedChunk> chunks = await services.GetRequiredService<IRetriever>().RetrieveAsync(query, top, cancellationToken);
            context.WriteResult(
                new
                {
                    query,
                    results = chunks.Select((c, i) => new
                    {
                        rank = i + 1,
                        score = c.Score,
                        documentId = c.Chunk.DocumentId,
                        chunkIndex = c.Chunk.ChunkIndex,
                        title = c.Chunk.Title,
                        headingPath = c.Chunk.HeadingPath,
                        source = c.Chunk.Source,
                        text = c.Chunk.Text,
                    }),
                },
                output =>
                {
                    if (chunks.Count == 0)
                    {
                        output.WriteLine("No chunks found: is the store empty? Run 'aieng ingest DIR' first.");
                    }

                    for (int i = 0; i < chunks.Count; i++)
                    {
                        ChunkRecord chunk = chunks[i].Chunk;
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1,2}. {chunks[i].Score:0.0000}  {chunk.DocumentId}#{chunk.ChunkIndex}{(chunk.HeadingPath is { Length: > 0 } h ? "  > " + h : string.Empty)}"));
                        output.WriteLine("    " + OneLine(chunk.Text, 160));
                    }
                });
            return ExitCodes.Ok;
        });
    }

    /// <summary>The <c>--top</c> value, checked.</summary>
    public static int CheckTop(CliContext context)
    {
        int top = context.GetValue(Top);
        return top >= 1 ? top : throw new CliInputException($"--top: {top.ToString(CultureInfo.InvariantCulture)} is not a positive number of chunks; use for example --top 5.");
    }

    private static string OneLine(string text, int max)
    {
        string line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 3)] + "...";
    }
}
