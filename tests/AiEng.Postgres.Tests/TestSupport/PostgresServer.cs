using System.Reflection;
using AiEng.TestSupport;
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
    public const int PgliteMaxConnections = PgliteServer.MaxConnections;

    private PgliteServer? _pglite;

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
        _pglite = await PgliteServer.StartAsync(PgliteDirectory());
        ConnectionString = _pglite.ConnectionString;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_pglite is { } pglite)
        {
            _pglite = null;
            await pglite.DisposeAsync();
        }
    }

    private static string? FindSkipReason()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable)))
        {
            return null;
        }

        return PgliteServer.UnavailableReason is null
            ? null
            : $"Neither node and npm (to run PGlite, PostgreSQL with pgvector, from npm) nor {ConnectionStringVariable} (a connection string to a PostgreSQL server with pgvector) is available.";
    }

    private static string PgliteDirectory()
    {
        string? built = typeof(PostgresServer).Assembly.GetCustomAttribute<PgliteDirectoryAttribute>()?.Path;
        return built is not null && File.Exists(Path.Combine(built, "package.json"))
            ? built
            : throw new DirectoryNotFoundException($"The PGlite server's npm project was not found at '{built}' (tests/AiEng.Postgres.Tests/pglite); build the tests from the repository.");
    }
}
