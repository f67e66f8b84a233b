using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a <see cref="PostgresUsageLedger"/> the usage ledger of AiEng, so that usage and budgets are shared by every instance of an application.</summary>
public static class PostgresUsageAiEngBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PostgresUsageLedger"/> over <paramref name="connectionString"/> as the
    /// <see cref="IUsageLedger"/> that every model AiEng serves records to, replacing the in-process ledger. Budgets
    /// (<c>AiEng:Usage:Budgets</c>) are then checked against what every instance using the same table has spent.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="connectionString">An Npgsql connection string (the container owns and disposes the data source built from it).</param>
    /// <param name="configure">Configures the table and its handling; <see langword="null"/> for the defaults.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string, or a configured name is not a plain identifier.</exception>
    /// <example>
    /// <code>
    /// services.AddAiEng(configuration).AddPostgresUsageLedger(configuration.GetConnectionString("usage")!);
    /// </code>
    /// </example>
    public static AiEngBuilder AddPostgresUsageLedger(this AiEngBuilder builder, string connectionString, Action<PostgresUsageLedgerOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var connection = new NpgsqlConnectionStringBuilder(Throw.IfNullOrWhitespace(connectionString));
        var options = new PostgresUsageLedgerOptions();
        configure?.Invoke(options);

        // Checked now, not at the first call: names, limits. The data source is the container's, so it is disposed with it.
        using (NpgsqlDataSource probe = NpgsqlDataSource.Create(connection))
        {
            _ = new PostgresUsageLedger(probe, options);
        }

        builder.Services.AddSingleton(_ => new UsageLedgerDataSource(NpgsqlDataSource.Create(connection)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IUsageLedger>(services => new PostgresUsageLedger(services.GetRequiredService<UsageLedgerDataSource>().Source, options)));
        return builder;
    }

    /// <summary>The ledger's data source, held by the container so that it is disposed with it.</summary>
    private sealed class UsageLedgerDataSource(NpgsqlDataSource source) : IDisposable, IAsyncDisposable
    {
        public NpgsqlDataSource Source { get; } = source;

        public void Dispose() => Source.Dispose();

        public ValueTask DisposeAsync() => Source.DisposeAsync();
    }
}
