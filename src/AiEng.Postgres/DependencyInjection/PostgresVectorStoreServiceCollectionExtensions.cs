using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="PostgresVectorStore"/> with dependency injection.</summary>
public static class PostgresVectorStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/> over <paramref name="connectionString"/>, also as
    /// <see cref="VectorStore"/> unless a <see cref="VectorStore"/> is registered already. The container disposes it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string; its password is never logged.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, white space or not valid, or an option is not a valid name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A configured option is out of range (checked here, not at first use).</exception>
    public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, string connectionString, Action<PostgresVectorStoreOptions>? configure = null)
    {
        _ = Throw.IfNull(services);
        _ = PostgresConnectionStrings.Redact(Throw.IfNullOrWhitespace(connectionString));
        var options = new PostgresVectorStoreOptions();
        configure?.Invoke(options);
        options.Validate();
        services.TryAdd(ServiceDescriptor.Singleton(provider =>
            new PostgresVectorStore(PostgresVectorStore.Build(connectionString, provider.GetService<ILoggerFactory>()), ownsDataSource: true, options)));
        services.TryAdd(ServiceDescriptor.Singleton<VectorStore>(provider => provider.GetRequiredService<PostgresVectorStore>()));
        return services;
    }
}
