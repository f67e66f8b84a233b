using static AiEng.Benchmarks.JsonLinesFile;

namespace AiEng.Benchmarks.Cascade;

/// <summary>One labelled item of the cascade task: a question, its gold answer and its difficulty (<c>easy</c> or <c>hard</c>).</summary>
internal sealed record ArithmeticItem(string Id, string Question, string Answer, bool IsHard)
{
    /// <summary>Reads a JSON-lines file of items: <c>id</c>, <c>question</c>, <c>answer</c>, <c>difficulty</c>.</summary>
    /// <exception cref="ArgumentException">The file is missing, or a line is not a valid item; the message names the file, line and field.</exception>
    public static IReadOnlyList<ArithmeticItem> Load(string path) =>
        JsonLinesFile.Load(path, "pass the directory of items.train.jsonl and items.test.jsonl with --data.", root =>
        {
            string difficulty = Required(root, "difficulty");
            if (difficulty is not ("easy" or "hard"))
            {
                throw new FormatException($"field 'difficulty' is '{difficulty}' but must be 'easy' or 'hard'");
            }

            return new ArithmeticItem(Required(root, "id"), Required(root, "question"), Required(root, "answer"), difficulty == "hard");
        });
}
