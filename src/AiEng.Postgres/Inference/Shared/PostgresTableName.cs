using System.Text.RegularExpressions;

namespace AiEng.Inference;

/// <summary>A schema-qualified table name, checked to be a plain identifier and quoted for SQL (values are always parameters; names cannot be).</summary>
internal sealed partial class PostgresTableName
{
    private PostgresTableName(string schema, string table)
    {
        Schema = schema;
        Table = table;
        Quoted = $"\"{schema}\".\"{table}\"";
    }

    /// <summary>Gets the schema.</summary>
    public string Schema { get; }

    /// <summary>Gets the table.</summary>
    public string Table { get; }

    /// <summary>Gets the quoted, schema-qualified name for SQL.</summary>
    public string Quoted { get; }

    /// <summary>Checks and quotes a schema and table name.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="table">The table.</param>
    /// <param name="option">The options property the table name came from, for the error message.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">A name is not a plain identifier of at most 63 characters.</exception>
    public static PostgresTableName Create(string schema, string table, string option)
    {
        Check(schema, option.Replace("Table", "Schema", StringComparison.Ordinal));
        Check(table, option);
        return new PostgresTableName(schema, table);
    }

    /// <summary>Gets a quoted name derived from the table's (an index's), checked like the table's.</summary>
    /// <param name="suffix">The suffix, made of identifier characters.</param>
    /// <returns>The quoted name, unqualified.</returns>
    public string QuotedDerived(string suffix) => $"\"{Table}_{suffix}\"";

    private static void Check(string name, string option)
    {
        if (string.IsNullOrEmpty(name) || !Identifier().IsMatch(name))
        {
            throw new ArgumentException(
                $"{option} '{name}' is not a plain PostgreSQL identifier: use 1 to 63 letters, digits and underscores, starting with a letter or underscore.",
                option);
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
