using AiEng.Retrieval;
using AiEng.Shared;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a <see cref="SqliteVectorStore"/> the vector store of AiEng's retrieval services.</summary>
public static class SqliteAiEngBuilderExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SqliteVectorStore"/> over <paramref name="pathOrConnectionString"/> as
    /// <see cref="SqliteVectorStore"/> and <see cref="VectorStore"/>, after any store registered before, so that
    /// <c>AddRetrieval()</c> keeps its chunks in that file whatever the order of the calls. The container disposes it.
    /// </summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="pathOrConnectionString">The database file path, or a Microsoft.Data.Sqlite connection string. The file is created when missing.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="pathOrConnectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pathOrConnectionString"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A configured option is out of range (checked here, not at first use).</exception>
    /// <example>
    /// <code>
    /// services.AddAiEng(configuration).AddSqliteVectorStore("index.db").AddRetrieval();
    /// </code>
    /// </example>
    public static AiEngBuilder AddSqliteVectorStore(this AiEngBuilder builder, string pathOrConnectionString, Action<SqliteVectorStoreOptions>? configure = null)
    {
        _ = Throw.IfNull(builder);
        SqliteVectorStoreServiceCollectionExtensions.Register(builder.Services, pathOrConnectionString, configure, replace: true);
        return builder;
    }
}
