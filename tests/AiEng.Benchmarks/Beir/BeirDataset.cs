using System.Globalization;
using System.Text.Json;

namespace AiEng.Benchmarks.Beir;

/// <summary>A BEIR-format collection: <c>corpus.jsonl</c>, <c>queries.jsonl</c> and <c>qrels/&lt;split&gt;.tsv</c>.</summary>
internal sealed class BeirDataset
{
    private BeirDataset(string directory, string corpusPath, BeirDocument[] corpus, Dictionary<string, string> queries)
    {
        Directory = directory;
        CorpusPath = corpusPath;
        Corpus = corpus;
        Queries = queries;
    }

    public string Directory { get; }

    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));

    public string CorpusPath { get; }

    public BeirDocument[] Corpus { get; }

    public Dictionary<string, string> Queries { get; }

    public static BeirDataset Load(string directory)
    {
        string corpusPath = Path.Combine(directory, "corpus.jsonl");
        string queriesPath = Path.Combine(directory, "queries.jsonl");
        var corpus = ReadJsonLines(corpusPath)
            .Select(e => new BeirDocument(RequiredString(e.Root, "_id", corpusPath, e.Line), OptionalString(e.Root, "title"), OptionalString(e.Root, "text")))
            .ToArray();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (root, line) in ReadJsonLines(queriesPath))
        {
            queries[RequiredString(root, "_id", queriesPath, line)] = OptionalString(root, "text");
        }

        return new BeirDataset(directory, corpusPath, corpus, queries);
    }

    /// <summary>Reads <c>qrels/&lt;split&gt;.tsv</c>: query id, document id, integer grade; an optional header line starts with <c>query-id</c>.</summary>
    public Dictionary<string, Dictionary<string, int>> LoadQrels(string split)
    {
        string path = Path.Combine(Directory, "qrels", split + ".tsv");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"qrels file '{path}' does not exist; choose a split that has one with --split.");
        }

        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("query-id", StringComparison.Ordinal)))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length < 3 || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int grade))
            {
                throw new ArgumentException($"{path}:{lineNumber}: expected 'query-id<TAB>corpus-id<TAB>integer score' but found '{line}'.");
            }

            if (!qrels.TryGetValue(fields[0], out var judged))
            {
                qrels[fields[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[fields[1]] = grade;
        }

        return qrels;
    }

    private static IEnumerable<(JsonElement Root, int Line)> ReadJsonLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"'{path}' does not exist; --data must name a BEIR-format directory.");
        }

        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"{path}:{lineNumber}: invalid JSON ({ex.Message}).");
            }

            using (document)
            {
                yield return (document.RootElement.Clone(), lineNumber);
            }
        }
    }

    private static string RequiredString(JsonElement root, string name, string path, int line) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : throw new ArgumentException($"{path}:{line}: the record has no '{name}'.");

    private static string OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;
}

/// <summary>One corpus record.</summary>
internal sealed record BeirDocument(string Id, string Title, string Text)
{
    /// <summary>Title and text joined with a space, as sentence-transformers' BEIR evaluation and a flat Lucene field do.</summary>
    public string FullText => (Title + " " + Text).Trim();
}
