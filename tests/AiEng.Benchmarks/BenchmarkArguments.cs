using System.Globalization;

namespace AiEng.Benchmarks;

/// <summary><c>--name value</c> options and <c>--flag</c> switches (value <c>true</c>) of a benchmark.</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkArguments(Dictionary<string, string> values) => _values = values;

    public static BenchmarkArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected '--name value' or '--flag' but found '{args[i]}'.");
            }

            // A name followed by another name, or last, is a flag: its value is "true".
            bool isFlag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[args[i][2..]] = isFlag ? "true" : args[++i];
        }

        return new BenchmarkArguments(values);
    }

    public int GetInt(string name, int defaultValue) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : defaultValue;

    public double GetDouble(string name, double defaultValue) =>
        _values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : defaultValue;

    public string? GetString(string name) => _values.GetValueOrDefault(name);
}
