using System.Text.Json;
using static AiEng.Benchmarks.JsonLinesFile;

namespace AiEng.Benchmarks.SemanticCache;

/// <summary>
/// One labelled pair of the semantic-cache set: a question whose answer is cached and a later question. A paraphrase has
/// the same correct answer (it should be served from the cache); a near-miss has a different one (it must not be).
/// </summary>
internal sealed record QuestionPair(string Id, bool IsParaphrase, string? Kind, string Domain, string Cached, string Query)
{
    /// <summary>Reads a JSON-lines file of pairs: <c>id</c>, <c>label</c> (<c>paraphrase</c> or <c>near_miss</c>), <c>kind</c> (of a near-miss), <c>domain</c>, <c>cached</c>, <c>query</c>.</summary>
    /// <exception cref="ArgumentException">The file is missing, or a line is not a valid pair; the message names the file, line and field.</exception>
    public static IReadOnlyList<QuestionPair> Load(string path) =>
        JsonLinesFile.Load(path, "pass the directory of pairs.train.jsonl and pairs.test.jsonl with --data.", root =>
        {
            string label = Required(root, "label");
            if (label is not ("paraphrase" or "near_miss"))
            {
                throw new FormatException($"field 'label' is '{label}' but must be 'paraphrase' or 'near_miss'");
            }

            return new QuestionPair(
                Required(root, "id"),
                label == "paraphrase",
                root.TryGetProperty("kind", out JsonElement kind) ? kind.GetString() : null,
                Required(root, "domain"),
                Required(root, "cached"),
                Required(root, "query"));
        });
}
