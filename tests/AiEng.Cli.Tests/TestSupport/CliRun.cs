using System.Text.Json;

namespace AiEng.Cli.Tests.TestSupport;

/// <summary>What one run of the tool produced.</summary>
public sealed class CliRun
{
    public CliRun(string arguments, int exitCode, string output, string error)
    {
        Arguments = arguments;
        ExitCode = exitCode;
        Output = output;
        Error = error;
    }

    public string Arguments { get; }

    public int ExitCode { get; }

    public string Output { get; }

    public string Error { get; }

    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Standard output parsed as one JSON document.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"aieng {Arguments} exited with {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
