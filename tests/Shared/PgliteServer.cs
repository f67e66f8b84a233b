using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace AiEng.TestSupport;

/// <summary>
/// PGlite (PostgreSQL compiled to WebAssembly, with pgvector) behind its wire-protocol server on a free loopback port:
/// installed with <c>npm ci</c> from the npm project under tests/AiEng.Postgres.Tests/pglite on first use (again only when
/// its lock file changes), started with node, and killed on disposal. Shared by the PostgreSQL tests and the benchmarks.
/// </summary>
internal sealed class PgliteServer : IAsyncDisposable
{
    /// <summary>The connections PGlite's server accepts at once; pools are kept to this size.</summary>
    public const int MaxConnections = 4;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly StringBuilder _output = new();
    private Process? _process;

    private PgliteServer()
    {
    }

    /// <summary>Gets the connection string of the running server (pool size <see cref="MaxConnections"/>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Gets the reason PGlite cannot run here (no node or npm on the path), or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason =>
        FindOnPath("node") is null || FindOnPath("npm") is null ? "node and npm (to run PGlite, PostgreSQL with pgvector, from npm) are not on the path." : null;

    /// <summary>Installs (when needed) and starts the server, and waits until it listens.</summary>
    /// <param name="directory">The npm project with package.json and package-lock.json.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<PgliteServer> StartAsync(string directory)
    {
        await InstallAsync(directory);
        int port = FreePort();
        string script = Path.Combine(directory, "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");
        var start = new ProcessStartInfo(FindOnPath("node")!)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { script, $"--port={port}", "--host=127.0.0.1", "--extensions=@electric-sql/pglite-pgvector:vector", $"--max-connections={MaxConnections}" })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PgliteServer();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process = new Process { StartInfo = start, EnableRaisingEvents = true };
        server._process.OutputDataReceived += (_, line) => server.OnOutput(line.Data, listening);
        server._process.ErrorDataReceived += (_, line) => server.OnOutput(line.Data, listening: null);
        server._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The PGlite server exited before it listened:\n{server.Output()}"));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The PGlite server did not listen within {StartTimeout.TotalSeconds} s:\n{server.Output()}");
        }

        server.ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Username = "postgres",
            Password = "postgres",
            Database = "postgres",
            MaxPoolSize = MaxConnections,
            Timeout = 60,
            CommandTimeout = 300,
        }.ConnectionString;
        return server;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            NpgsqlConnection.ClearAllPools();
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <c>npm ci</c> once per lock file: a stamp beside node_modules holds the lock file's contents it installed.</summary>
    private static async Task InstallAsync(string directory)
    {
        string lockFile = Path.Combine(directory, "package-lock.json");
        string stamp = Path.Combine(directory, "node_modules", ".aieng-installed-lock");
        string wanted = await File.ReadAllTextAsync(lockFile);
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == wanted)
        {
            return;
        }

        // Test projects run at once and share this npm project: one installs, the others wait for it and then find the stamp.
        await using FileStream gate = await LockAsync(Path.Combine(directory, ".aieng-install.lock"));
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == wanted)
        {
            return;
        }

        var start = new ProcessStartInfo(FindOnPath("npm")!)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start)!;
        Task<string> output = npm.StandardOutput.ReadToEndAsync();
        Task<string> errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed with exit code {npm.ExitCode}:\n{await output}\n{await errors}");
        }

        await File.WriteAllTextAsync(stamp, wanted);
    }

    /// <summary>Opens <paramref name="path"/> exclusively (a lock across processes), waiting up to ten minutes for another holder.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string program)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private void OnOutput(string? line, TaskCompletionSource? listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (listening is not null && line.Contains("listening", StringComparison.OrdinalIgnoreCase))
        {
            listening.TrySetResult();
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
