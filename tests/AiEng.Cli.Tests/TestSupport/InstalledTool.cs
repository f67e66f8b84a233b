using System.Diagnostics;
using System.Globalization;
using AiEng.Packaging.Tests;

namespace AiEng.Cli.Tests.TestSupport;

/// <summary>
/// Packs AiEng.Cli (from the build the tests were built with) into a temporary feed with a version unique to this run,
/// installs it with <c>dotnet tool install --tool-path</c> as a user would, and runs the installed <c>aieng</c> as a
/// process. Once per test run (<see cref="Shared"/>, so that test classes can run in parallel); the feed, the tool path
/// and the restored package are removed when the test process exits.
/// </summary>
public sealed class InstalledTool
{
    /// <summary>The one installed tool of this test run, installed when first asked for.</summary>
    public static readonly Lazy<Task<InstalledTool>> Shared = new(async () =>
    {
        var tool = new InstalledTool();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => tool.Delete();
        await tool.InstallAsync();
        return tool;
    });

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _root = Path.Combine(Path.GetTempPath(), "aieng-cli-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public string Version { get; } = "0.1.0-clitest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public string FeedDirectory => Path.Combine(_root, "feed");

    public string ToolDirectory => Path.Combine(_root, "tools");

    public string ToolPath => Path.Combine(ToolDirectory, OperatingSystem.IsWindows() ? "aieng.exe" : "aieng");

    public static string RepositoryRoot { get; } = FindRoot();

    private async Task InstallAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        string project = Path.Combine(RepositoryRoot, "src", "AiEng.Cli", "AiEng.Cli.csproj");

        // --no-build: the project reference built it with the tests; packing only collects that output.
        await ProcessRunner.RunAsync("dotnet", $"pack \"{project}\" -c {Configuration} --no-build -o \"{FeedDirectory}\" -p:Version={Version} -nologo", RepositoryRoot, TimeSpan.FromMinutes(5));
        await ProcessRunner.RunAsync(
            "dotnet", $"tool install AiEng.Cli --tool-path \"{ToolDirectory}\" --add-source \"{FeedDirectory}\" --version {Version}", _root, TimeSpan.FromMinutes(5));
    }

    private void Delete()
    {
        TryDelete(_root);
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(globalPackages, "aieng.cli", Version));
    }

    /// <summary>Runs <c>aieng</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public Task<CliRun> RunAsync(string workingDirectory, params string[] arguments)
        => RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

    /// <summary>Runs <c>aieng</c> with environment variables set (a <see langword="null"/> value removes one).</summary>
    public async Task<CliRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using Process process = Start(workingDirectory, environment, arguments);
        return await WaitAsync(process, arguments);
    }

    /// <summary>Starts <c>aieng</c> without waiting (for tests that interrupt it).</summary>
    public Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(ToolPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The tool must not see this test host's AiEng settings, and must not write its first-run notices.
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("AIENG__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {ToolPath}.");
    }

    /// <summary>Waits for a started process and collects its output.</summary>
    public static async Task<CliRun> WaitAsync(Process process, string[] arguments)
    {
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aieng {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }

        return new CliRun(string.Join(' ', arguments), process.ExitCode, await output, await error);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiEng.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AiEng.sln was not found above {AppContext.BaseDirectory}.");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a left-over temporary folder changes no result.
        }
    }
}
