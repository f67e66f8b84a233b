using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Cli.Retrieval;

/// <summary>
/// The store of <c>ingest</c>, <c>search</c> and <c>ask</c>: <c>--store</c>, else <c>AiEng:Cli:Store</c>, else a
/// PostgreSQL store when <c>AiEng:Retrieval:Postgres:ConnectionString</c> is configured, else the SQLite file
/// <c>.aieng/index.db</c> under the current directory. <c>sqlite:FILE</c> is <c>AddSqliteVectorStore</c>; anything else is
/// a PostgreSQL connection string for <c>AddPostgresVectorStore</c>. Retrieval itself is <c>AddRetrieval()</c> with the
/// <c>AiEng:Retrieval</c> section, as in an application.
/// </summary>
internal static class RetrievalStore
{
    /// <summary>The default store, relative to the current directory.</summary>
    public const string DefaultSqliteFile = ".aieng/index.db";

    /// <summary>The <c>--store</c> option.</summary>
    public static readonly Option<string?> Option = new("--store")
    {
        Description = "Where the chunks are kept: sqlite:FILE, or a PostgreSQL connection string (Host=...;Database=...). Default: AiEng:Cli:Store, else AiEng:Retrieval:Postgres:ConnectionString, else sqlite:" + DefaultSqliteFile + ".",
        HelpName = "STORE",
    };

    /// <summary>Adds the store and retrieval to <paramref name="builder"/>.</summary>
    /// <param name="builder">The AiEng builder.</param>
    /// <param name="context">The invocation (its <c>--store</c> and configuration).</param>
    /// <returns>A description of the store, for messages (a connection string's password is not shown).</returns>
    public static string AddTo(AiEngBuilder builder, CliContext context)
    {
        string? spec = context.GetValue(Option) ?? context.Configuration["AiEng:Cli:Store"];
        if (spec is null && context.Configuration["AiEng:Retrieval:Postgres:ConnectionString"] is { Length: > 0 })
        {
            builder.AddPostgresVectorStore().AddRetrieval();
            return "PostgreSQL (AiEng:Retrieval:Postgres:ConnectionString)";
        }

        spec ??= "sqlite:" + DefaultSqliteFile;
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            string file = spec["sqlite:".Length..];
            if (file.Length == 0)
            {
                throw new CliInputException("--store: 'sqlite:' needs a file, for example --store sqlite:index.db.");
            }

            string path = context.FullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.AddSqliteVectorStore(path).AddRetrieval();
            return "sqlite:" + path;
        }

        if (!spec.Contains('=', StringComparison.Ordinal))
        {
            throw new CliInputException($"--store: '{spec}' is neither sqlite:FILE nor a PostgreSQL connection string (Host=localhost;Database=aieng;Username=...).");
        }

        builder.AddPostgresVectorStore(spec).AddRetrieval();
        return "PostgreSQL";
    }
}
