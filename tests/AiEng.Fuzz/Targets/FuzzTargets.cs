using System.Text;
using AiEng.Evaluation;
using AiEng.FineTuning;
using AiEng.Prompts;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Fuzz;

/// <summary>
/// The fuzz targets: one per parser of untrusted input. Each feeds the bytes to the parser's public API. The exception
/// the API documents for bad input is expected; any other exception (or one of those caused by running out of memory or
/// stack) is a finding. This file is shared by the fuzzer (tests/AiEng.Fuzz) and the replay tests (tests/AiEng.Tests/Fuzzing).
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The targets by name, in the order the fuzz script runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("prompt", typeof(PromptException), Prompt),
        new("jsonl", typeof(DocumentLoadException), Jsonl),
        new("text", typeof(DocumentLoadException), input => Load(new TextDocumentLoader(), input, "fuzz.txt")),
        new("markdown", typeof(DocumentLoadException), input => Load(new MarkdownDocumentLoader(), input, "fuzz.md")),
        new("html", typeof(DocumentLoadException), input => Load(new HtmlDocumentLoader(), input, "fuzz.html")),
        new("pdf", typeof(DocumentLoadException), input => Load(new PdfDocumentLoader(), input, "fuzz.pdf")),
        new("docx", typeof(DocumentLoadException), input => Load(new DocxDocumentLoader(), input, "fuzz.docx")),
        new("judge", null, Judge),
        new("structured", typeof(StructuredOutputException), Structured),
        new("finetuning", typeof(FineTuningDataException), FineTuning),
    ];

    // No AiEng code runs in this class's initializer: under afl-fuzz, instrumented code must not run before SharpFuzz has
    // set up the coverage map (it fails with an access violation), so options are created in the targets.
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the capital of France?")];

    /// <summary>Gets the target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is no such target.</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown fuzz target '{name}'. Targets: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    private static void Prompt(byte[] input)
    {
        // Front matter (YAML) and body (Liquid): parsing builds the template; rendering with no inputs runs it.
        PromptTemplate template = PromptTemplate.Parse(Text(input), "fuzz.prompty");
        try
        {
            template.Render(new Dictionary<string, object?>());
        }
        catch (PromptException)
        {
            // Missing required inputs and render errors are reported as PromptException, as documented.
        }
    }

    private static void Jsonl(byte[] input)
    {
        // A small line limit so that the reader's long-line path is reached by short inputs too.
        var options = new JsonlDocumentLoaderOptions { SkipMalformedLines = true, IncludeOtherFieldsAsMetadata = true, TitleField = "title", MaxLineChars = 4096 };
        Load(new JsonlDocumentLoader(options), input, "fuzz.jsonl");
    }

    private static void Load(IDocumentLoader loader, byte[] input, string name)
    {
        foreach (Document document in loader.LoadAsync(DocumentSource.FromStream(new MemoryStream(input, writable: false), name), issues: null).ToBlockingEnumerable())
        {
            CheckSections(document);
        }
    }

    /// <summary>Every section a loader reports must be a range of the document's text.</summary>
    private static void CheckSections(Document document)
    {
        foreach (DocumentSection section in document.Sections)
        {
            if (section.StartOffset < 0 || section.EndOffset < section.StartOffset || section.EndOffset > document.Text.Length)
            {
                throw new FuzzFindingException($"Section {section.StartOffset}..{section.EndOffset} is outside the text of '{document.Id}' ({document.Text.Length} characters).");
            }
        }
    }

    private static void Judge(byte[] input)
    {
        // Documented: malformed judge output gives a metric without a value and a diagnostic; never an exception, never NaN.
        var configuration = new ChatConfiguration(new ReplyingChatClient(Text(input)));
        EvaluationResult result = LlmJudgeEvaluator.Relevance()
            .EvaluateAsync(Question, new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris.")), configuration)
            .AsTask().GetAwaiter().GetResult();
        foreach (EvaluationMetric metric in result.Metrics.Values)
        {
            if (metric is NumericMetric { Value: double value } && (double.IsNaN(value) || value is < 1 or > 5))
            {
                throw new FuzzFindingException($"The judge's metric '{metric.Name}' is {value}, outside 1 to 5.");
            }
        }
    }

    private static void Structured(byte[] input)
    {
        using var client = new ReplyingChatClient(Text(input));
        client.GetValidatedResponseAsync<FuzzAnswer>(Question, structuredOutputOptions: new StructuredOutputOptions { MaxRepairAttempts = 0 }).GetAwaiter().GetResult();
    }

    private static void FineTuning(byte[] input)
    {
        var options = new FineTuningJsonlOptions { CollectAllErrors = true, MaxLineChars = 4096 };
        try
        {
            using var reader = new StreamReader(new MemoryStream(input, writable: false), Encoding.UTF8);
            FineTuningJsonl.ParseExamplesAsync(reader, "fuzz.jsonl", options).GetAwaiter().GetResult();
        }
        catch (FineTuningDataException)
        {
            // Expected for a malformed line; the same bytes are read as preference pairs below.
        }

        using var preferences = new StreamReader(new MemoryStream(input, writable: false), Encoding.UTF8);
        FineTuningJsonl.ParsePreferencesAsync(preferences, "fuzz.jsonl", options).GetAwaiter().GetResult();
    }

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary>The shape the structured-output target asks the reply to have.</summary>
    private sealed class FuzzAnswer
    {
        public string Answer { get; set; } = "";

        public int Confidence { get; set; }

        public List<string> Sources { get; set; } = [];
    }

    /// <summary>A chat client that answers every call with the fuzz input.</summary>
    private sealed class ReplyingChatClient(string reply) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The fuzz targets do not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
