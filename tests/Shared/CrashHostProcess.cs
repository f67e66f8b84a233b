using System.Diagnostics;
using System.Reflection;

namespace AiEng.TestSupport;

/// <summary>
/// Runs a crash host (tests/AiEng.Sqlite.CrashHost, tests/AiEng.Postgres.CrashHost, tests/AiEng.Runners.CrashHost) as a
/// child process, reads the documents or items it reports committed, and kills it (SIGKILL on Unix) after a number of
/// commits.
/// </summary>
internal static class CrashHostProcess
{
    /// <summary>Runs <paramref name="hostDll"/> with <paramref name="arguments"/> and returns the documents it reported committed and whether it finished.</summary>
    /// <param name="hostDll">The host's assembly (see <see cref="Find"/>).</param>
    /// <param name="arguments">The host's arguments.</param>
    /// <param name="environment">Environment variables for the host (a connection string stays out of the process list).</param>
    /// <param name="killAfterCommits">Kill the host after this many commits; <see langword="null"/> to let it finish (and check it exited with 0).</param>
    /// <param name="lines">Receives every other line the host printed (a runner host's "asked &lt;id&gt;"), if given.</param>
    public static async Task<(List<string> Committed, bool Finished)> RunAsync(
        string hostDll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, int? killAfterCommits, ICollection<string>? lines = null)
    {
        var start = new ProcessStartInfo(DotnetHost(), [hostDll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var committed = new List<string>();
        var finished = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    committed.Add(line["committed ".Length..]);
                    if (committed.Count == killAfterCommits)
                    {
                        // Lines the host wrote before it died are still in the pipe; the loop reads them until EOF.
                        process.Kill(entireProcessTree: true);
                    }
                }
                else if (line == "done")
                {
                    finished = true;
                }
                else
                {
                    lines?.Add(line);
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        if (killAfterCommits is null)
        {
            Assert.True(process.ExitCode == 0, $"the crash host failed ({process.ExitCode}): {await stderr}");
        }

        return (committed, finished);
    }

    /// <summary>Finds the assembly of the crash host project <paramref name="hostName"/>, built next to the test project that references it (without its assembly).</summary>
    public static string Find(string hostName, Assembly testAssembly)
    {
        var configuration = testAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", hostName, "bin", configuration, "net10.0", hostName + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{hostName}.dll ({configuration}) was not found above {AppContext.BaseDirectory}; build tests/{hostName}.");
    }

    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) is "dotnet" ? Environment.ProcessPath! : "dotnet";
}
