using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Npgsql;

namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server of the tests: the one named by <see cref="ConnectionStringVariable"/> when it is set (a real
/// server, with the pgvector extension available), otherwise PGlite (PostgreSQL 18 compiled to WebAssembly, with
/// pgvector) behind its wire-protocol server on a free loopback port, installed with <c>npm ci</c> on first use and
/// stopped when the tests end.
/// </summary>
/// <remarks>
/// PGlite's limits, found by trying: all connections share one backend session (so session settings such as
/// <c>SET hnsw.ef_search</c> leak between connections, and transactions must not interleave), Npgsql's
/// <c>Maximum Pool Size</c> must not exceed the server's <c>--max-connections</c>, and binary <c>COPY</c> is not supported.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The environment variable that names a real server instead of PGlite, as an Npgsql connection string.</summary>
    public const string ConnectionStringVariable = "AIENG_POSTGRES_CONNECTION_STRING";

    /// <summary>The connections PGlite's server accepts at once; the pool is kept to this size.</summary>
    public const int PgliteMaxConnections = 4;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly StringBuilder _serverOutput = new();
    private Process? _process;

    /// <summary>Gets the connection string of the running server (after <see cref="InitializeAsync"/>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Gets a value indicating whether the server is PGlite (with its limits) rather than a real PostgreSQL.</summary>
    public bool IsPglite { get; private set; }

    /// <summary>Gets the reason the PostgreSQL tests cannot run here, or <see langword="null"/> when they can.</summary>
    public static string? SkipReason { get; } = FindSkipReason();

    /// <summary>Opens a data source with the pgvector type mapping.</summary>
    /// <returns>The data source; dispose it.</returns>
    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.UseVector();
        return builder.Build();
    }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        string? configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        IsPglite = true;
        string directory = PgliteDirectory();
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
        foreach (string argument in new[] { script, $"--port={port}", "--host=127.0.0.1", "--extensions=@electric-sql/pglite-pgvector:vector", $"--max-connections={PgliteMaxConnections}" })
        {
            start.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => OnOutput(line.Data, listening);
        _process.ErrorDataReceived += (_, line) => OnOutput(line.Data, listening: null);
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The PGlite server exited before it listened:\n{Output()}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await DisposeAsync();
            throw new TimeoutException($"The PGlite server did not listen within {StartTimeout.TotalSeconds} s:\n{Output()}");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Username = "postgres",
            Password = "postgres",
            Database = "postgres",
            MaxPoolSize = PgliteMaxConnections,
            Timeout = 60,
            CommandTimeout = 300,
        }.ConnectionString;
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
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

        return Task.CompletedTask;
    }

    private static string? FindSkipReason()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable)))
        {
            return null;
        }

        return FindOnPath("node") is null || FindOnPath("npm") is null
            ? $"Neither node and npm (to run PGlite, PostgreSQL with pgvector, from npm) nor {ConnectionStringVariable} (a connection string to a PostgreSQL server with pgvector) is available."
            : null;
    }

    private static string PgliteDirectory()
    {
        string? built = typeof(PostgresServer).Assembly.GetCustomAttribute<PgliteDirectoryAttribute>()?.Path;
        return built is not null && File.Exists(Path.Combine(built, "package.json"))
            ? built
            : throw new DirectoryNotFoundException($"The PGlite server's npm project was not found at '{built}' (tests/AiEng.Postgres.Tests/pglite); build the tests from the repository.");
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

        lock (_serverOutput)
        {
            _serverOutput.AppendLine(line);
        }

        if (listening is not null && line.Contains("listening", StringComparison.OrdinalIgnoreCase))
        {
            listening.TrySetResult();
        }
    }

    private string Output()
    {
        lock (_serverOutput)
        {
            return _serverOutput.ToString();
        }
    }
}
