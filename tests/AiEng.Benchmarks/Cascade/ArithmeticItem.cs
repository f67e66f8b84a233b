using System.Text.Json;

namespace AiEng.Benchmarks.Cascade;

/// <summary>One labelled item of the cascade task: a question, its gold answer and its difficulty (<c>easy</c> or <c>hard</c>).</summary>
internal sealed record ArithmeticItem(string Id, string Question, string Answer, bool IsHard)
{
    /// <summary>Reads a JSON-lines file of items: <c>id</c>, <c>question</c>, <c>answer</c>, <c>difficulty</c>.</summary>
    /// <exception cref="ArgumentException">The file is missing, or a line is not a valid item; the message names the file, line and field.</exception>
    public static IReadOnlyList<ArithmeticItem> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"The items file '{path}' does not exist; pass the directory of items.train.jsonl and items.test.jsonl with --data.");
        }

        var items = new List<ArithmeticItem>();
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
                string difficulty = Required(root, "difficulty");
                if (difficulty is not ("easy" or "hard"))
                {
                    throw new FormatException($"field 'difficulty' is '{difficulty}' but must be 'easy' or 'hard'");
                }

                items.Add(new ArithmeticItem(Required(root, "id"), Required(root, "question"), Required(root, "answer"), difficulty == "hard"));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                throw new ArgumentException($"{path}, line {number}: {ex.Message}", ex);
            }
        }

        return items;
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"field '{name}' is missing or empty");
}
