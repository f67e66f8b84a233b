namespace AiEng.Retrieval;

/// <summary>SQL text helpers.</summary>
internal static class SqliteSql
{
    /// <summary>The table that records every collection's table, key type, vector column, dimensions and distance function.</summary>
    public const string MetadataTable = "aieng_collections";

    /// <summary>The prefix of collection table names.</summary>
    public const string TablePrefix = "aieng_c_";

    /// <summary>Quotes an identifier (table or column name) for SQLite.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
