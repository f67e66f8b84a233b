using System.CommandLine;

namespace AiEng.Cli;

/// <summary>The options every command has.</summary>
internal static class CliOptions
{
    /// <summary><c>--config FILE</c>: a JSON configuration file read after appsettings.json and the environment.</summary>
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "A JSON configuration file, read after appsettings.json and AIENG__/AiEng__ environment variables (it wins).",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary><c>--json</c>: machine-readable output.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write the result as one JSON document on standard output (progress and errors go to standard error).",
        Recursive = true,
    };
}
