using System.Text.Json;

namespace AiEng.Benchmarks.SemanticCache;

/// <summary>
/// One labelled pair of the semantic-cache set: a question whose answer is cached and a later question. A paraphrase has
/// the same correct answer (it should be served from the cache); a near-miss has a different one (it must not be).
/// </summary>
internal sealed record QuestionPair(string Id, bool IsParaphrase, string? Kind, string Domain, string Cached, string Query)
{
    /// <summary>Reads a JSON-lines file of pairs: <c>id</c>, <c>label</c> (<c>paraphrase</c> or <c>near_miss</c>), <c>kind</c> (of a near-miss), <c>domain</c>, <c>cached</c>, <c>query</c>.</summary>
    /// <exception cref="ArgumentException">The file is missing, or a line is not a valid pair; the message names the file, line and field.</exception>
    public static IReadOnlyList<QuestionPair> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"The question pairs file '{path}' does not exist; pass the directory of pairs.train.jsonl and pairs.test.jsonl with --data.");
        }

        var pairs = new List<QuestionPair>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                string label = Required(root, "label");
                if (label is not ("paraphrase" or "near_miss"))
                {
                    throw new FormatException($"field 'label' is '{label}' but must be 'paraphrase' or 'near_miss'");
                }

                pairs.Add(new QuestionPair(
                    Required(root, "id"),
                    label == "paraphrase",
                    root.TryGetProperty("kind", out JsonElement kind) ? kind.GetString() : null,
                    Required(root, "domain"),
                    Required(root, "cached"),
                    Required(root, "query")));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                throw new ArgumentException($"{path}, line {number}: {ex.Message}", ex);
            }
        }

        return pairs;
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"field '{name}' is missing or empty");
}
