using Npgsql;

namespace AiEng.Retrieval;

/// <summary>Connection string helpers.</summary>
internal static class PostgresConnectionStrings
{
    /// <summary>Returns <paramref name="connectionString"/> without its password, for logs and messages.</summary>
    /// <exception cref="ArgumentException">The connection string is not valid (the message does not repeat it).</exception>
    public static string Redact(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(connectionString));
        }

        _ = builder.Remove("Password");
        return builder.ConnectionString;
    }
}
