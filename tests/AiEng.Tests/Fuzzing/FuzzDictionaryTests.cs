using System.Text.RegularExpressions;

namespace AiEng.Tests.Fuzzing;

/// <summary>
/// The afl-fuzz dictionaries in tests/AiEng.Fuzz/dictionaries: afl-fuzz stops with a fatal error on a line it cannot
/// read, which would end a long fuzzing run at its start, so every line is checked here in the syntax afl-fuzz accepts.
/// </summary>
public partial class FuzzDictionaryTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "dictionaries");

    public static TheoryData<string> Dictionaries()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Folder, "*.dict").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Dictionaries))]
    public void Every_line_is_a_comment_or_a_named_token_afl_fuzz_can_read(string dictionary)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Folder, dictionary));

        List<string> errors = [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string? error = Check(lines[i], names);
            if (error is not null)
            {
                errors.Add($"{dictionary}({i + 1}): {error}");
            }
        }

        Assert.Empty(errors);
        Assert.True(names.Count >= 10, $"{dictionary} has only {names.Count} tokens.");
    }

    [Theory]
    [InlineData("token=\"unclosed", "not name=\"value\"")]
    [InlineData("=\"x\"", "not name=\"value\"")]
    [InlineData("t=\"bad \\q escape\"", "escape")]
    [InlineData("t=\"a \" quote\"", "unescaped quote")]
    [InlineData("t=\"\"", "empty")]
    [InlineData("t=\"\\x4\"", "escape")]
    public void The_check_rejects_what_afl_fuzz_rejects(string line, string expected)
    {
        string? error = Check(line, []);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_rejects_a_name_used_twice()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);

        Assert.Null(Check("a=\"x\"", names));
        Assert.Contains("twice", Check("a=\"y\"", names), StringComparison.Ordinal);
    }

    /// <summary>The error in one dictionary line, or null when afl-fuzz reads it as a comment, a blank or a token.</summary>
    private static string? Check(string line, HashSet<string> names)
    {
        string trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return null;
        }

        Match match = TokenLine().Match(trimmed);
        if (!match.Success)
        {
            return $"not name=\"value\": {trimmed}";
        }

        if (!names.Add(match.Groups["name"].Value))
        {
            return $"the name '{match.Groups["name"].Value}' is used twice";
        }

        string value = match.Groups["value"].Value;
        if (value.Length == 0)
        {
            return "an empty token";
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '"')
            {
                return $"an unescaped quote at {i}";
            }

            if (c < 0x20 || c > 0x7e)
            {
                return $"a character afl-fuzz does not take unescaped (U+{(int)c:X4}) at {i}";
            }

            if (c != '\\')
            {
                continue;
            }

            bool hex = i + 3 < value.Length && value[i + 1] == 'x' && Uri.IsHexDigit(value[i + 2]) && Uri.IsHexDigit(value[i + 3]);
            if (hex)
            {
                i += 3;
            }
            else if (i + 1 < value.Length && (value[i + 1] == '\\' || value[i + 1] == '"'))
            {
                i += 1;
            }
            else
            {
                return $"a bad escape at {i} (afl-fuzz takes \\\\, \\\" and \\xHH)";
            }
        }

        return null;
    }

    [GeneratedRegex("^(?<name>[A-Za-z0-9_]+)(@[0-9]+)?=\"(?<value>.*)\"$")]
    private static partial Regex TokenLine();
}
