using Microsoft.Extensions.Configuration;

namespace AiEng.Cli;

/// <summary>
/// The configuration an AiEng application reads, read the same way so that a configured app and the tool agree:
/// <c>appsettings.json</c> in the current directory, then environment variables (<c>AiEng__Chat__Model</c>, in any
/// letter case, so <c>AIENG__CHAT__MODEL</c> too), then the file given with <c>--config</c>; later sources win.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The file read from the current directory when it exists.</summary>
    public const string AppSettingsFile = "appsettings.json";

    /// <summary>Builds the configuration.</summary>
    /// <param name="workingDirectory">Where <c>appsettings.json</c> is looked for.</param>
    /// <param name="configFile">The <c>--config</c> file, or <see langword="null"/>; it must exist.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FileNotFoundException">The <c>--config</c> file does not exist.</exception>
    /// <exception cref="InvalidDataException">A JSON file does not parse (the message names it).</exception>
    public static IConfiguration Build(string workingDirectory, string? configFile)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(workingDirectory, AppSettingsFile), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        if (configFile is not null)
        {
            string path = Path.GetFullPath(configFile, workingDirectory);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"--config: the configuration file '{path}' does not exist.", path);
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        return builder.Build();
    }
}
