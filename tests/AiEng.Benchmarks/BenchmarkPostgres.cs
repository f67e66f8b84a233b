using System.Reflection;
using AiEng.TestSupport;

namespace AiEng.Benchmarks;

/// <summary>
/// The PostgreSQL server a benchmark runs against: the one <c>--connection</c> or AIENG_POSTGRES_CONNECTION_STRING names,
/// else PGlite (PostgreSQL in WebAssembly with pgvector, from the PostgreSQL tests' npm project), started here and
/// stopped on disposal.
/// </summary>
internal sealed class BenchmarkPostgres : IAsyncDisposable
{
    private readonly PgliteServer? _pglite;

    private BenchmarkPostgres(string connectionString, PgliteServer? pglite)
    {
        ConnectionString = connectionString;
        _pglite = pglite;
    }

    /// <summary>Gets the connection string of the server.</summary>
    public string ConnectionString { get; }

    /// <summary>Gets a value indicating whether the server is PGlite (slower than a native server).</summary>
    public bool IsPglite => _pglite is not null;

    /// <summary>Connects to the named server, or starts PGlite.</summary>
    /// <param name="arguments">The benchmark's arguments (<c>--connection</c>).</param>
    /// <param name="log">Receives a line when PGlite starts.</param>
    public static async Task<BenchmarkPostgres> StartAsync(BenchmarkArguments arguments, TextWriter log)
    {
        string? connectionString = arguments.GetString("connection") ?? Environment.GetEnvironmentVariable("AIENG_POSTGRES_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new BenchmarkPostgres(connectionString, pglite: null);
        }

        string directory = typeof(BenchmarkPostgres).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PgliteDirectory")?.Value
            ?? throw new InvalidOperationException("The benchmark was built without the PGlite npm project's path.");
        var pglite = await PgliteServer.StartAsync(directory).ConfigureAwait(false);
        await log.WriteLineAsync("PGlite started (PostgreSQL in WebAssembly with pgvector; slower than a native server)").ConfigureAwait(false);
        return new BenchmarkPostgres(pglite.ConnectionString, pglite);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_pglite is not null)
        {
            await _pglite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
