using System.CommandLine;
using System.Globalization;
using System.Text;
using AiEng.Offline;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.Retrieval;

/// <summary>
/// <c>aieng ask "question"</c>: the configured chat model with <c>UseRetrieval</c> over the registered
/// <see cref="IRetriever"/>, streamed, with the citations of <see cref="CitationExtensions.GetCitations(ChatResponseUpdate)"/>.
/// </summary>
internal static class AskCommand
{
    private static readonly Argument<string> Question = new("QUESTION") { Description = "The question." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "ask",
            "Answers a question from the ingested chunks: retrieves the most relevant ones, gives them to the configured chat model (offline: the extractive responder, which quotes them) and streams the answer, then lists the numbered sources it cites.",
            "aieng ask \"Which status codes are retried?\"",
            "aieng ask \"Which status codes are retried?\" --top 8 --store sqlite:index.db --json");
        command.Add(Question);
        command.Add(RetrievalStore.Option);
        command.Add(SearchCommand.Top);
        return command.WithAction(application, async (context, cancellationToken) =>
        {
            string question = context.GetValue(Question);
            int top = SearchCommand.CheckTop(context);
            await using var services = context.BuildServices(builder => RetrievalStore.AddTo(builder, context));
            IChatClient model = services.GetRequiredService<IChatClient>();
            if (model.GetService<ChatClientMetadata>()?.ProviderName == ExtractiveResponder.ProviderName)
            {
                context.Progress("ask: no language model is configured; the extractive responder quotes the retrieved sentences. Set AiEng__Chat__Provider, AiEng__Chat__Model (and AiEng__Chat__ApiKey) to use one.");
            }

            // Not disposed: that would dispose the container's client.
            IChatClient rag = model.AsBuilder().UseRetrieval(services.GetRequiredService<IRetriever>(), options => options.Top = top).Build();
            var answer = new StringBuilder();
            var citations = new List<Citation>();
            await foreach (ChatResponseUpdate update in rag.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, question)], cancellationToken: cancellationToken))
            {
                answer.Append(update.Text);
                citations.AddRange(update.GetCitations());
                if (!context.Json)
                {
                    await context.Output.WriteAsync(update.Text);
                    await context.Output.FlushAsync(cancellationToken);
                }
            }

            Citation[] cited = [.. citations.DistinctBy(c => c.Number).OrderBy(c => c.Number)];
            context.WriteResult(
                new
                {
                    question,
                    answer = answer.ToString(),
                    citations = cited.Select(c => new { number = c.Number, documentId = c.DocumentId, title = c.Title, headingPath = c.HeadingPath, source = c.Source, startOffset = c.StartOffset, endOffset = c.EndOffset, score = c.Score }),
                },
                output =>
                {
                    output.WriteLine();
                    output.WriteLine();
                    output.WriteLine(cited.Length == 0 ? "Sources: none (nothing relevant was retrieved)." : "Sources:");
                    foreach (Citation c in cited)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{c.Number}] {c.Title ?? c.DocumentId} ({c.DocumentId}, chars {c.StartOffset}-{c.EndOffset}){(c.HeadingPath is { Length: > 0 } h ? " > " + h : string.Empty)}"));
                    }
                });
            return ExitCodes.Ok;
        });
    }
}
