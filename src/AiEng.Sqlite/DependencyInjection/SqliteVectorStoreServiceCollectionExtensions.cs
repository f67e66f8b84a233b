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
        return Register(services, pathOrConnectionString, configure, replace: false);
    }

    /// <summary>Registers the store: with <paramref name="replace"/>, last (so it wins over earlier registrations); otherwise only when none is registered.</summary>
    internal static IServiceCollection Register(IServiceCollection services, string pathOrConnectionString, Action<SqliteVectorStoreOptions>? configure, bool replace)
    {
        _ = Throw.IfNullOrWhitespace(pathOrConnectionString);
        var options = new SqliteVectorStoreOptions();
        configure?.Invoke(options);
        options.Validate();

        var store = ServiceDescriptor.Singleton(_ => new SqliteVectorStore(pathOrConnectionString, options));
        var alias = ServiceDescriptor.Singleton<VectorStore>(sp => sp.GetRequiredService<SqliteVectorStore>());
        if (replace)
        {
            services.Add(store);
            services.Add(alias);
        }
        else
        {
            services.TryAdd(store);
            services.TryAdd(alias);
        }

        return services;
    }
}
