using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>
/// Translates a filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) to a SQL WHERE clause with parameters.
/// </summary>
/// <remarks>
/// <para>
/// The supported constructs are those of <see cref="SqlFilterTranslator{TProperty}"/>; <c>property.Contains(value)</c> on a
/// string list looks into the stored JSON array with <c>json_each</c>.
/// </para>
/// <para>
/// Every translated predicate is true or false, never SQL NULL, with C# semantics: <c>==</c>/<c>!=</c> use SQLite's
/// null-safe <c>IS</c>/<c>IS NOT</c>, and an ordering comparison with a null value is false, so <c>!</c> stays exact.
/// </para>
/// </remarks>
internal sealed class SqliteFilterTranslator : SqlFilterTranslator<SqliteProperty>
{
    private readonly SqliteRecordModel _model;
    private readonly List<SqliteParameter> _parameters = [];

    private SqliteFilterTranslator(SqliteRecordModel model, ParameterExpression record)
        : base(record)
    {
        _model = model;
    }

    /// <inheritdoc />
    protected override string StoreName => "SQLite";

    /// <inheritdoc />
    protected override Type RecordType => _model.RecordType;

    /// <inheritdoc />
    protected override string VectorPropertyName => _model.Vector.Name;

    /// <summary>Translates <paramref name="filter"/>.</summary>
    /// <returns>The SQL condition and its parameters (named <c>@f0</c>, <c>@f1</c>, ...).</returns>
    /// <exception cref="NotSupportedException">The filter uses a construct that is not supported.</exception>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Translate(SqliteRecordModel model, LambdaExpression filter)
    {
        var translator = new SqliteFilterTranslator(model, filter.Parameters[0]);
        translator.Visit(filter.Body);
        return (translator.Sql.ToString(), translator._parameters);
    }

    /// <summary>Maps a property selector (<c>r =&gt; r.Property</c>, as used by OrderBy) to its property.</summary>
    /// <exception cref="NotSupportedException">The selector is not a key or data property.</exception>
    public static SqliteProperty ResolveProperty(SqliteRecordModel model, LambdaExpression selector) =>
        new SqliteFilterTranslator(model, selector.Parameters[0]).AsProperty(selector.Body)
            ?? throw new NotSupportedException($"The property selector '{selector}' is not supported by the SQLite vector store: select a key or data property directly, as in r => r.Name.");

    /// <inheritdoc />
    protected override SqliteProperty? FindProperty(string name) => _model.FindProperty(name);

    /// <inheritdoc />
    protected override string NameOf(SqliteProperty property) => property.Name;

    /// <inheritdoc />
    protected override string KindOf(SqliteProperty property) => property.Kind.ToString();

    /// <inheritdoc />
    protected override bool IsStringCollection(SqliteProperty property) => property.IsStringCollection;

    /// <inheritdoc />
    protected override bool IsOrderable(SqliteProperty property) => property.IsOrderable;

    /// <inheritdoc />
    protected override bool IsBoolean(SqliteProperty property) => property.Kind == SqliteValueKind.Boolean;

    /// <inheritdoc />
    protected override void AppendConstant(bool value) => Sql.Append(value ? '1' : '0');

    /// <inheritdoc />
    protected override void AppendFlag(SqliteProperty property) => Sql.Append('(').Append(property.QuotedColumn).Append(" IS 1)");

    /// <inheritdoc />
    protected override void AppendEquality(SqliteProperty property, bool equal, object? value) =>
        Sql.Append('(').Append(property.ComparableColumn).Append(equal ? " IS " : " IS NOT ")
            .Append(value is null ? "NULL" : AddParameter(property.ToComparableValue(value))).Append(')');

    /// <inheritdoc />
    protected override void AppendOrdering(SqliteProperty property, string op, object value) =>
        Sql.Append('(').Append(property.ComparableColumn).Append(" IS NOT NULL AND ").Append(property.ComparableColumn)
            .Append(' ').Append(op).Append(' ').Append(AddParameter(property.ToComparableValue(value))).Append(')');

    /// <inheritdoc />
    protected override void AppendListContains(SqliteProperty list, object? value) =>
        // Any element of the stored JSON array equals the value.
        Sql.Append("EXISTS (SELECT 1 FROM json_each(").Append(list.QuotedColumn).Append(") WHERE value IS ")
            .Append(AddParameter(value ?? DBNull.Value)).Append(')');

    /// <inheritdoc />
    protected override void AppendIn(SqliteProperty property, List<object> values)
    {
        Sql.Append(property.ComparableColumn).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            Sql.Append(i == 0 ? string.Empty : ", ").Append(AddParameter(property.ToComparableValue(values[i])));
        }

        Sql.Append(") AND ").Append(property.QuotedColumn).Append(" IS NOT NULL");
    }

    /// <inheritdoc />
    protected override void AppendIsNull(SqliteProperty property) => Sql.Append(property.QuotedColumn).Append(" IS NULL");

    private string AddParameter(object value)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new SqliteParameter(name, value));
        return name;
    }
}
