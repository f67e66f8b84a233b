using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="SqliteVectorStore"/> with dependency injection.</summary>
public static class SqliteVectorStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SqliteVectorStore"/> over <paramref name="pathOrConnectionString"/>, also as
    /// <see cref="VectorStore"/> unless a <see cref="VectorStore"/> is registered already. The container disposes it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="pathOrConnectionString">The database file path, or a Microsoft.Data.Sqlite connection string.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="pathOrConnectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pathOrConnectionString"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A configured option is out of range (checked here, not at first use).</exception>
    public static IServiceCollection AddSqliteVectorStore(this IServiceCollection services, string pathOrConnectionString, Action<SqliteVectorStoreOptions>? configure = null)
    {
        _ = Throw.IfNull(services);
        _ = Throw.IfNullOrWhitespace(pathOrConnectionString);
        var options = new SqliteVectorStoreOptions();
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(_ => new SqliteVectorStore(pathOrConnectionString, options));
        services.TryAddSingleton<VectorStore>(sp => sp.GetRequiredService<SqliteVectorStore>());
        return services;
    }
}
