using System.Text;

namespace AiEng.Retrieval;

/// <summary>SQL text helpers: quoted identifiers (user values never reach SQL text; they travel as parameters).</summary>
internal static class PostgresSql
{
    /// <summary>The table, in the store's schema, that records what each collection was created with.</summary>
    public const string CatalogTable = "aieng_collections";

    /// <summary>The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes); longer names are silently truncated by the server.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>Quotes an identifier (schema, table, column or index name) for PostgreSQL.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Checks that <paramref name="identifier"/> can name a PostgreSQL object unchanged.</summary>
    /// <param name="identifier">The name.</param>
    /// <param name="what">What it names, for the message (for example "collection name").</param>
    /// <param name="paramName">The argument to blame.</param>
    /// <exception cref="ArgumentException">The name is empty, holds a NUL character, or is longer than 63 bytes in UTF-8.</exception>
    public static string CheckIdentifier(string identifier, string what, string paramName)
    {
        if (string.IsNullOrWhiteSpace(identifier) || identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{identifier}' is not a valid PostgreSQL identifier: it must not be empty, white space or hold a NUL character.", paramName);
        }

        if (Encoding.UTF8.GetByteCount(identifier) > MaxIdentifierBytes)
        {
            throw new ArgumentException(
                $"The {what} '{identifier}' is {Encoding.UTF8.GetByteCount(identifier)} bytes long in UTF-8; PostgreSQL identifiers hold at most {MaxIdentifierBytes} bytes (longer ones are truncated, so two names could clash). Use a shorter name.",
                paramName);
        }

        return identifier;
    }
}
