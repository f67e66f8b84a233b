using System.Globalization;
using System.Linq.Expressions;
using Npgsql;
using NpgsqlTypes;

namespace AiEng.Retrieval;

/// <summary>
/// Translates a filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) to a PostgreSQL WHERE condition whose values are
/// all parameters: no value from the expression is ever written into the SQL text.
/// </summary>
/// <remarks>
/// <para>
/// The supported constructs are those of <see cref="SqlFilterTranslator{TProperty}"/>; <c>property.Contains(value)</c> on a
/// string list becomes <c>text[] @&gt; ARRAY[value]</c>, which a GIN index serves.
/// </para>
/// <para>
/// Every translated predicate is true or false, never SQL NULL, with C# semantics: <c>==</c>/<c>!=</c> use
/// <c>IS [NOT] DISTINCT FROM</c>, and a comparison with a null column or value is false, so <c>!</c> stays exact.
/// </para>
/// </remarks>
internal sealed class PostgresFilterTranslator : SqlFilterTranslator<PostgresProperty>
{
    private readonly PostgresRecordModel _model;
    private readonly List<NpgsqlParameter> _parameters = [];

    private PostgresFilterTranslator(PostgresRecordModel model, ParameterExpression record)
        : base(record)
    {
        _model = model;
    }

    /// <inheritdoc />
    protected override string StoreName => "PostgreSQL";

    /// <inheritdoc />
    protected override Type RecordType => _model.RecordType;

    /// <inheritdoc />
    protected override string VectorPropertyName => _model.Model.Vector.Name;

    /// <summary>Translates <paramref name="filter"/>, or returns <c>TRUE</c> without parameters when it is <see langword="null"/>.</summary>
    /// <returns>The SQL condition and its parameters (named <c>@f0</c>, <c>@f1</c>, ...).</returns>
    /// <exception cref="NotSupportedException">The filter uses a construct that is not supported.</exception>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Translate(PostgresRecordModel model, LambdaExpression? filter)
    {
        if (filter is null)
        {
            return ("TRUE", []);
        }

        var translator = new PostgresFilterTranslator(model, filter.Parameters[0]);
        translator.Visit(filter.Body);
        return (translator.Sql.ToString(), translator._parameters);
    }

    /// <summary>Maps a property selector (<c>r =&gt; r.Property</c>, as used by OrderBy) to its property.</summary>
    /// <exception cref="NotSupportedException">The selector is not a key or data property.</exception>
    public static PostgresProperty ResolveProperty(PostgresRecordModel model, LambdaExpression selector) =>
        new PostgresFilterTranslator(model, selector.Parameters[0]).AsProperty(selector.Body)
            ?? throw new NotSupportedException($"The property selector '{selector}' is not supported by the PostgreSQL vector store: select a key or data property directly, as in r => r.Name.");

    /// <inheritdoc />
    protected override PostgresProperty? FindProperty(string name) => _model.FindProperty(name);

    /// <inheritdoc />
    protected override string NameOf(PostgresProperty property) => property.Name;

    /// <inheritdoc />
    protected override string KindOf(PostgresProperty property) => property.ValueType.Name;

    /// <inheritdoc />
    protected override bool IsStringCollection(PostgresProperty property) => property.IsStringCollection;

    /// <inheritdoc />
    protected override bool IsOrderable(PostgresProperty property) => property.IsOrderable;

    /// <inheritdoc />
    protected override bool IsBoolean(PostgresProperty property) => property.ValueType == typeof(bool);

    /// <inheritdoc />
    protected override void AppendConstant(bool value) => Sql.Append(value ? "TRUE" : "FALSE");

    /// <inheritdoc />
    protected override void AppendFlag(PostgresProperty property) => Sql.Append('(').Append(property.QuotedColumn).Append(" IS TRUE)");

    /// <inheritdoc />
    protected override void AppendEquality(PostgresProperty property, bool equal, object? value) =>
        Sql.Append('(').Append(property.QuotedColumn).Append(equal ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ")
            .Append(value is null ? "NULL" : AddParameter(property, value)).Append(')');

    /// <inheritdoc />
    protected override void AppendOrdering(PostgresProperty property, string op, object value) =>
        Sql.Append("COALESCE(").Append(property.QuotedColumn).Append(' ').Append(op).Append(' ').Append(AddParameter(property, value)).Append(", FALSE)");

    /// <inheritdoc />
    protected override void AppendListContains(PostgresProperty list, object? value)
    {
        // A null value matches a null element, as in C#.
        if (value is null)
        {
            Sql.Append("COALESCE(array_position(").Append(list.QuotedColumn).Append(", NULL) IS NOT NULL, FALSE)");
        }
        else
        {
            Sql.Append("COALESCE(").Append(list.QuotedColumn).Append(" @> ARRAY[").Append(AddParameter(value, NpgsqlDbType.Text)).Append("]::text[], FALSE)");
        }
    }

    /// <inheritdoc />
    protected override void AppendIn(PostgresProperty property, List<object> values)
    {
        Sql.Append("COALESCE(").Append(property.QuotedColumn).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            Sql.Append(i == 0 ? string.Empty : ", ").Append(AddParameter(property, values[i]));
        }

        Sql.Append("), FALSE)");
    }

    /// <inheritdoc />
    protected override void AppendIsNull(PostgresProperty property) => Sql.Append(property.QuotedColumn).Append(" IS NULL");

    private string AddParameter(PostgresProperty property, object value) => AddParameter(property.ToParameterValue(value), property.DbType);

    private string AddParameter(object value, NpgsqlDbType type)
    {
        var name = "f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }
}
