using System.Diagnostics;
using System.Globalization;
using AiEng.Offline;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;
using Spectre.Console;

namespace AiEng.Samples.Rag;

/// <summary>
/// The RAG sample's core: ingests a folder of Markdown documents into a SQLite vector store (incrementally), then answers
/// questions with hybrid retrieval (BM25 + dense) and grounded generation, printing the answer, its citations and the
/// retrieved chunks with their scores. The questions of a run are one conversation: a follow-up ("and how long does it
/// wait?") is condensed into a standalone query before retrieval, and the query searched is printed. Every piece comes from the services <see cref="RagServices.AddRagSample"/>
/// registers; create it with <c>ActivatorUtilities.CreateInstance&lt;RagApp&gt;(services, console)</c>.
/// </summary>
internal sealed class RagApp
{
    /// <summary>The questions asked when none is given with <c>--ask</c>: one conversation, whose third question is a follow-up of the second.</summary>
    public static readonly IReadOnlyList<string> DefaultQuestions =
    [
        "What does the ingestor compare to skip an unchanged document?",
        "Which HTTP status codes are retried?",
        "And how long does it wait between them?",
        "How do I set the API key of an OpenAI model?",
    ];

    private const int Top = 6;

    private readonly IChatClient _chatClient;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddingGenerator;
    private readonly DocumentIngestor _ingestor;
    private readonly RecordingRetriever _retriever;
    private readonly VectorStoreCollection<Guid, ChunkRecord> _collection;
    private readonly RetrievalServiceOptions _retrievalOptions;
    private readonly IAnsiConsole _console;

    /// <summary>Initializes a new instance of the <see cref="RagApp"/> class.</summary>
    /// <param name="chatClient">Answers from the retrieved sources: a real model, or the offline extractive responder.</param>
    /// <param name="embeddingGenerator">Embeds chunks and questions (the local MiniLM by default); described at the start.</param>
    /// <param name="ingestor">The registered ingestor: chunks, embeds and stores the documents.</param>
    /// <param name="retriever">The registered hybrid retriever, recorded.</param>
    /// <param name="collection">The registered collection of chunks, counted after the ingestion.</param>
    /// <param name="retrievalOptions">The retrieval options (the collection's name).</param>
    /// <param name="console">Where the progress bar and the results go.</param>
    public RagApp(
        IChatClient chatClient,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        DocumentIngestor ingestor,
        RecordingRetriever retriever,
        VectorStoreCollection<Guid, ChunkRecord> collection,
        IOptions<RetrievalServiceOptions> retrievalOptions,
        IAnsiConsole console)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        _embeddingGenerator = embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));
        _ingestor = ingestor ?? throw new ArgumentNullException(nameof(ingestor));
        _retriever = retriever ?? throw new ArgumentNullException(nameof(retriever));
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _retrievalOptions = (retrievalOptions ?? throw new ArgumentNullException(nameof(retrievalOptions))).Value;
        _console = console ?? throw new ArgumentNullException(nameof(console));
    }

    /// <summary>Creates a plain console over <paramref name="writer"/>: no colours, no ANSI sequences, no live rendering.</summary>
    public static IAnsiConsole CreatePlainConsole(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        return console;
    }

    /// <summary>Ingests <see cref="RagPaths.DocsDirectory"/> and answers <paramref name="questions"/>, one conversation.</summary>
    /// <param name="paths">The documents and the store.</param>
    /// <param name="questions">
    /// The questions to answer, in one conversation: each is asked with the earlier questions and answers, and a follow-up
    /// is condensed into a standalone query for retrieval (by the chat model, or offline by the heuristic of
    /// docs/retrieval.md).
    /// </param>
    /// <param name="topic">
    /// Answers from the chunks of this topic only (<see cref="TopicDocumentLoader"/>: a top-level file name such as
    /// <c>retrieval</c>, or a folder), or <see langword="null"/> for all: a metadata filter that applies before the top
    /// chunks are chosen, on the keyword and the dense side.
    /// </param>
    /// <param name="cancellationToken">Stops the run between commits or questions.</param>
    /// <returns>What the ingestion did and every answer with its citations and retrieved chunks.</returns>
    public async Task<RagRunResult> RunAsync(RagPaths paths, IReadOnlyList<string> questions, string? topic = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(questions);

        DescribeModels();
        _console.WriteLine();
        _console.Write(new Rule("Ingestion").LeftJustified());
        _console.WriteLine($"Documents: {paths.DocsDirectory}");
        _console.WriteLine($"Store:     {paths.DatabasePath} (collection {_retrievalOptions.Collection})");
        IngestionResult ingestion = await IngestAsync(paths.DocsDirectory, cancellationToken);

        // The registered retriever is hybrid: BM25 over the stored chunks (read into memory from the store at the first
        // question, and again after an ingestion) fused with dense search in SQLite.
        int indexedChunks = 0;
        await foreach (ChunkRecord _ in _collection.GetAsync(static _ => true, int.MaxValue, cancellationToken: cancellationToken))
        {
            indexedChunks++;
        }

        // Not disposed: disposing the pipeline would dispose the caller's client. A follow-up question is condensed into a
        // standalone query before retrieval: by the chat model, or offline by a heuristic (no model call).
        IChatClient rag = _chatClient.AsBuilder()
            .UseRetrieval(_retriever, options =>
            {
                options.Top = Top;
                options.Packing.MaxTokens = 1_500;
                options.ConversationQuery.Mode = ConversationQueryMode.Condense;
            })
            .Build();

        // A topic restricts what is retrieved for each question: the filter travels with the call, and UseRetrieval gives it
        // to the retriever (never to the model). Any filterable metadata works the same way, a tenant or an access group.
        ChatOptions? options = null;
        if (topic is not null)
        {
            var filter = new MetadataFilter().Where(TopicDocumentLoader.TopicKey, topic);
            options = new ChatOptions { AdditionalProperties = new() { [RetrievalChatClient.FilterKey] = filter } };
            _console.WriteLine();
            _console.WriteLine($"Filter:    {filter} (only chunks of documents of this topic are retrieved)");
        }

        var answers = new List<RagAnswer>(questions.Count);
        var conversation = new List<ChatMessage>();
        foreach (string question in questions)
        {
            conversation.Add(new ChatMessage(ChatRole.User, question));
            ChatResponse response = await rag.GetResponseAsync(conversation, options, cancellationToken);
            conversation.AddRange(response.Messages);
            var answer = new RagAnswer(question, response.Text, response.GetCitations(), _retriever.LastResults, response.GetRetrievalQuery());
            answers.Add(answer);
            Print(answer);
        }

        return new RagRunResult(ingestion, indexedChunks, answers);
    }

    private void DescribeModels()
    {
        var chat = _chatClient.GetService<ChatClientMetadata>();
        var embeddings = _embeddingGenerator.GetService<EmbeddingGeneratorMetadata>();
        _console.Write(new Rule("Models").LeftJustified());
        _console.WriteLine($"Embeddings: {embeddings?.DefaultModelId ?? "(unnamed)"} from {embeddings?.ProviderName ?? "(unknown provider)"}");
        if (chat?.ProviderName == ExtractiveResponder.ProviderName)
        {
            _console.WriteLine("Chat:       no language model is configured. Answers come from the extractive responder,");
            _console.WriteLine("            which quotes the retrieved sentences closest to the question and writes nothing new.");
            _console.WriteLine("            To use a model, set AiEng:Chat in appsettings.json or environment variables, e.g.");
            _console.WriteLine("              AiEng__Chat__Provider=OpenAI AiEng__Chat__Model=gpt-4o-mini AiEng__Chat__ApiKey=sk-...");
            _console.WriteLine("              AiEng__Chat__Provider=Ollama AiEng__Chat__Model=llama3.2 AiEng__Chat__Endpoint=http://localhost:11434");
        }
        else
        {
            _console.WriteLine($"Chat:       {chat?.DefaultModelId ?? "(unnamed)"} from {chat?.ProviderName ?? "(unknown provider)"}");
        }
    }

    private async Task<IngestionResult> IngestAsync(string docsDirectory, CancellationToken cancellationToken)
    {
        // The Markdown loader, with each document's topic added to its metadata (filterable: see RagServices).
        var loader = new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions
        {
            Include = ["**/*.md"],
            Loaders = { [".md"] = new TopicDocumentLoader() },
        });
        IngestionProgress? last = null;
        IngestionResult result = await _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("Ingesting", maxValue: 1);
                int added = 0, updated = 0, unchanged = 0;
                var progress = new SynchronousProgress<IngestionProgress>(report =>
                {
                    switch (report.Event)
                    {
                        case IngestionEvent.DocumentAdded: added++; break;
                        case IngestionEvent.DocumentUpdated: updated++; break;
                        case IngestionEvent.DocumentUnchanged: unchanged++; break;
                    }

                    // A directory's total is known from its listing; the estimate comes from a smoothed rate once two documents are done.
                    last = report;
                    task.MaxValue = Math.Max(1, Math.Max(report.DocumentsTotal ?? 0, report.DocumentsCompleted));
                    task.Value = report.DocumentsCompleted;
                    string remaining = report.EstimatedRemaining is TimeSpan eta
                        ? string.Create(CultureInfo.InvariantCulture, $", about {Math.Ceiling(eta.TotalSeconds):F0} s left")
                        : string.Empty;
                    task.Description = $"Ingesting: {added} new, {updated} changed, {unchanged} unchanged, {report.ChunksEmbedded} chunks embedded{remaining}";
                });
                IngestionResult ingested = await _ingestor.IngestDirectoryAsync(
                    loader, docsDirectory, new IngestionOptions { DeleteMissing = true }, progress, cancellationToken);
                task.Value = task.MaxValue;
                return ingested;
            });

        string documents = last?.DocumentsTotal is int total ? string.Create(CultureInfo.InvariantCulture, $"{total} documents ") : string.Empty;
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ingested {documents}in {(last?.Elapsed ?? TimeSpan.Zero).TotalSeconds:F1} s: {result}"));
        foreach (DocumentLoadIssue issue in result.Issues)
        {
            _console.WriteLine($"  issue: {issue}");
        }

        if (result.Added + result.Updated == 0 && result.Unchanged > 0)
        {
            _console.WriteLine($"All {result.Unchanged} documents are unchanged since the last run (same content hash): nothing was embedded or written.");
        }
        else if (result.Unchanged == 0)
        {
            _console.WriteLine("Run the sample again: unchanged documents are then skipped by their content hash, without embedding.");
        }

        return result;
    }

    private void Print(RagAnswer answer)
    {
        _console.WriteLine();
        _console.Write(new Rule("Question").LeftJustified());
        _console.WriteLine($"Q: {answer.Question}");
        if (answer.Query is { IsRewritten: true } query)
        {
            string by = query.Method == RetrievalQueryMethod.Model ? "the chat model" : "the offline heuristic";
            _console.WriteLine($"Searched: {query.Text} (a follow-up, made standalone by {by})");
        }
        else if (answer.Query is { Method: RetrievalQueryMethod.Fallback })
        {
            _console.WriteLine("Searched: the question as it is (condensing the follow-up failed; see the warning in the log)");
        }
        _console.WriteLine();
        _console.WriteLine("A: " + answer.Text);
        _console.WriteLine();

        _console.WriteLine(answer.Citations.Count == 0 ? "Sources: none (nothing relevant was retrieved)." : "Sources:");
        foreach (Citation citation in answer.Citations)
        {
            string section = citation.HeadingPath is { Length: > 0 } path ? $" > {path}" : string.Empty;
            _console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  [{citation.Number}] {citation.Title ?? citation.DocumentId} ({citation.DocumentId}, chars {citation.StartOffset}-{citation.EndOffset}){section}"));
        }

        var cited = new Dictionary<Guid, int>();
        foreach (Citation citation in answer.Citations)
        {
            foreach (Guid key in citation.ChunkKeys)
            {
                cited.TryAdd(key, citation.Number);
            }
        }

        var table = new Table().Border(TableBorder.Simple).Title($"Retrieved chunks ({DescribeRetriever(_retrievalOptions)})");
        table.AddColumn(new TableColumn("#").RightAligned());
        table.AddColumn(new TableColumn("score").RightAligned());
        table.AddColumn("cited");
        table.AddColumn("chunk");
        table.AddColumn("section");
        table.AddColumn("text");
        for (int i = 0; i < answer.Retrieved.Count; i++)
        {
            ChunkRecord chunk = answer.Retrieved[i].Chunk;
            table.AddRow(
                new Text((i + 1).ToString(CultureInfo.InvariantCulture)),
                new Text(answer.Retrieved[i].Score.ToString("F4", CultureInfo.InvariantCulture)),
                new Text(cited.TryGetValue(chunk.Key, out int number) ? $"[{number}]" : string.Empty),
                new Text(string.Create(CultureInfo.InvariantCulture, $"{chunk.DocumentId}#{chunk.ChunkIndex}")),
                new Text(chunk.HeadingPath ?? string.Empty),
                new Text(Preview(chunk)));
        }

        _console.Write(table);
    }

    // The body of the chunk (without the heading-path prefix MarkdownSectionChunker adds), on one line and shortened.
    private static string Preview(ChunkRecord chunk)
    {
        string text = chunk.Text;
        if (chunk.HeadingPath is { Length: > 0 } path && text.StartsWith(path, StringComparison.Ordinal))
        {
            text = text[path.Length..];
        }

        // The section's own Markdown heading line repeats the heading path: skip it too.
        text = string.Join(' ', text.Split('\n').SkipWhile(line => line.Length == 0 || line.StartsWith('#')));
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    /// <summary>Reports on the calling thread, so the progress bar sees every event in order (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Names the registered retriever as configured, for the table's title.</summary>
    private static string DescribeRetriever(RetrievalServiceOptions options) => options.Retriever switch
    {
        RetrieverKind.Keyword => "keyword: BM25",
        RetrieverKind.Dense => "dense",
        _ when options.Fusion == FusionMethod.ReciprocalRank => "hybrid: BM25 + dense, reciprocal-rank fusion",
        _ => string.Create(CultureInfo.InvariantCulture, $"hybrid: BM25 + dense, normalised scores, dense weight {options.DenseWeight}"),
    };
}
