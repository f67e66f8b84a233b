using AiEng.Fuzz;

namespace AiEng.Tests.Fuzzing;

/// <summary>
/// Replays every committed fuzz input (the seed corpora in tests/AiEng.Fuzz/corpus and the inputs of fixed findings in
/// tests/AiEng.Fuzz/regressions) through the same targets afl-fuzz runs: only the exception each parser documents for
/// bad input may occur.
/// </summary>
public class FuzzTargetsTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fuzzing");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in new[] { "corpus", "regressions" })
        {
            foreach (FuzzTarget target in FuzzTargets.All)
            {
                string folder = Path.Combine(Root, kind, target.Name);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    data.Add(target.Name, Path.GetRelativePath(Root, file).Replace('\\', '/'));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_committed_input_raises_no_exception_but_the_documented_one(string target, string input)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Root, input));

        Exception? error = Record.Exception(() => FuzzTargets.Get(target).Run(bytes));

        Assert.Null(error);
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            string folder = Path.Combine(Root, "corpus", target.Name);
            Assert.True(Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(), $"No seed corpus for the fuzz target '{target.Name}' in {folder}.");
        }
    }

    [Fact]
    public void An_undocumented_exception_escapes_a_target()
    {
        var target = new FuzzTarget("throws", typeof(FormatException), _ => throw new InvalidOperationException("not documented"));

        Assert.Throws<InvalidOperationException>(() => target.Run([]));
    }

    [Fact]
    public void The_documented_exception_is_caught_unless_running_out_of_memory_caused_it()
    {
        var documented = new FuzzTarget("bad input", typeof(FormatException), _ => throw new FormatException("bad input"));
        var outOfMemory = new FuzzTarget("runaway", typeof(FormatException), _ => throw new FormatException("wrapped", new OutOfMemoryException()));

        documented.Run([]);
        Assert.Throws<FormatException>(() => outOfMemory.Run([]));
    }

    [Fact]
    public void An_unknown_target_name_lists_the_targets()
    {
        var error = Assert.Throws<ArgumentException>(() => FuzzTargets.Get("nope"));

        Assert.Contains("prompt, jsonl", error.Message, StringComparison.Ordinal);
    }
}
