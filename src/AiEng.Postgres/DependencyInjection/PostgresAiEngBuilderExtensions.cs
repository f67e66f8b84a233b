using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a <see cref="PostgresVectorStore"/> the vector store of AiEng's retrieval services.</summary>
public static class PostgresAiEngBuilderExtensions
{
    /// <summary>The configuration section, under AiEng's, of the store: <c>Retrieval:Postgres</c> (so <c>AiEng:Retrieval:Postgres</c>).</summary>
    public const string SectionName = "Retrieval:Postgres";

    /// <summary>
    /// Registers a singleton <see cref="PostgresVectorStore"/> as <see cref="PostgresVectorStore"/> and
    /// <see cref="VectorStore"/>, after any store registered before, so that <c>AddRetrieval()</c> keeps its chunks in
    /// PostgreSQL (with keyword and hybrid search run in the database) whatever the order of the calls. The container
    /// disposes it, and its data source logs through the application's <see cref="ILoggerFactory"/>.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="connectionString">
    /// The Npgsql connection string, or <see langword="null"/> to read <c>AiEng:Retrieval:Postgres:ConnectionString</c>
    /// (environment variable <c>AiEng__Retrieval__Postgres__ConnectionString</c>) when the store is first resolved. Its
    /// password is never logged.
    /// </param>
    /// <param name="configure">Configures the options after they are bound from <c>AiEng:Retrieval:Postgres</c>; <see langword="null"/> for none.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, white space or not a valid connection string.</exception>
    /// <remarks>
    /// The options are validated when the host starts (or the store is first resolved); a bad value fails with a message
    /// that names its configuration key. Resolving the store fails when no connection string is passed or configured.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddAiEng(configuration).AddPostgresVectorStore("Host=db;Database=app;Username=app;Password=...").AddRetrieval();
    /// </code>
    /// </example>
    public static AiEngBuilder AddPostgresVectorStore(this AiEngBuilder builder, string? connectionString = null, Action<PostgresVectorStoreOptions>? configure = null)
    {
        _ = Throw.IfNull(builder);
        if (connectionString is not null)
        {
            _ = PostgresConnectionStrings.Redact(Throw.IfNullOrWhitespace(connectionString));
        }

        var path = builder.ConfigurationPath + ":" + SectionName;
        var options = builder.AddOptions<PostgresVectorStoreOptions>(SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresVectorStoreOptions>>(new OptionsValidator(path)));
        builder.Services.Add(ServiceDescriptor.Singleton(provider =>
        {
            var value = provider.GetRequiredService<IOptions<PostgresVectorStoreOptions>>().Value;
            if (Validate(value, path) is { } error)
            {
                throw error;
            }

            var configured = connectionString ?? builder.Configuration?["Retrieval:Postgres:ConnectionString"];
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException(
                    $"No PostgreSQL connection string: set {path}:ConnectionString (environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__ConnectionString), "
                    + "for example \"Host=localhost;Database=aieng;Username=aieng;Password=...\", or pass it to AddPostgresVectorStore.");
            }

            var loggerFactory = provider.GetService<ILoggerFactory>();
            PostgresLog.Opened((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresVectorStore>(), PostgresConnectionStrings.Redact(configured), value.Schema);
            return new PostgresVectorStore(PostgresVectorStore.Build(configured, loggerFactory), ownsDataSource: true, value);
        }));
        builder.Services.Add(ServiceDescriptor.Singleton<VectorStore>(provider => provider.GetRequiredService<PostgresVectorStore>()));
        return builder;
    }

    /// <summary>Returns the error of <paramref name="options"/>, its message naming the configuration key, or <see langword="null"/>.</summary>
    private static OptionsValidationException? Validate(PostgresVectorStoreOptions options, string path) =>
        Message(options, path) is { } message
            ? new OptionsValidationException(Options.Options.DefaultName, typeof(PostgresVectorStoreOptions), [message])
            : null;

    private static string? Message(PostgresVectorStoreOptions options, string path)
    {
        try
        {
            options.Validate();
            return null;
        }
        catch (ArgumentException ex)
        {
            var key = $"{path}:{ex.ParamName}";
            return $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}): {ex.Message}";
        }
    }

    /// <summary>Validates the bound options when the host starts, naming the key of a bad value.</summary>
    private sealed class OptionsValidator(string path) : IValidateOptions<PostgresVectorStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgresVectorStoreOptions options) =>
            Message(options, path) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
