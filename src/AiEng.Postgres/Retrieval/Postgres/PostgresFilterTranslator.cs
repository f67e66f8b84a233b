using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Npgsql;

namespace AiEng.Retrieval;

/// <summary>
/// Translates a filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) to a PostgreSQL WHERE condition whose values are
/// all parameters: no value from the expression is ever written into the SQL text.
/// </summary>
/// <remarks>
/// <para>
/// Supported: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> between a key or data property and a value
/// (a constant or a captured variable), <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, a bool property on its own,
/// <c>values.Contains(property)</c> over a captured array or list (any-of), and <c>property.Contains(value)</c> on a string[] or
/// List&lt;string&gt; property (<c>text[] @&gt; ARRAY[value]</c>, which a GIN index serves). Anything else throws
/// <see cref="NotSupportedException"/> naming the construct.
/// </para>
/// <para>
/// Every translated predicate is true or false, never SQL NULL, with C# semantics: <c>==</c>/<c>!=</c> use
/// <c>IS [NOT] DISTINCT FROM</c>, and a comparison with a null column or value is false, so <c>!</c> stays exact.
/// </para>
/// </remarks>
internal sealed class PostgresFilterTranslator
{
    private readonly PostgresRecordModel _model;
    private readonly ParameterExpression _record;
    private readonly StringBuilder _sql = new();
    private readonly List<NpgsqlParameter> _parameters = [];

    private PostgresFilterTranslator(PostgresRecordModel model, ParameterExpression record)
    {
        _model = model;
        _record = record;
    }

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
        return (translator._sql.ToString(), translator._parameters);
    }

    /// <summary>Maps a property selector (<c>r =&gt; r.Property</c>, as used by OrderBy) to its property.</summary>
    /// <exception cref="NotSupportedException">The selector is not a key or data property.</exception>
    public static PostgresProperty ResolveProperty(PostgresRecordModel model, LambdaExpression selector)
    {
        var translator = new PostgresFilterTranslator(model, selector.Parameters[0]);
        return translator.AsProperty(selector.Body)
            ?? throw new NotSupportedException($"The property selector '{selector}' is not supported by the PostgreSQL vector store: select a key or data property directly, as in r => r.Name.");
    }

    private void Visit(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                _sql.Append('(');
                Visit(logical.Left);
                _sql.Append(logical.NodeType == ExpressionType.AndAlso ? " AND " : " OR ");
                Visit(logical.Right);
                _sql.Append(')');
                break;
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Operand.Type == typeof(bool):
                _sql.Append("(NOT ");
                Visit(not.Operand);
                _sql.Append(')');
                break;
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison:
                VisitComparison(comparison);
                break;
            case MethodCallExpression call:
                VisitCall(call);
                break;
            case var _ when !References(node) && node.Type == typeof(bool):
                _sql.Append((bool)FilterExpressions.Evaluate(node)! ? "TRUE" : "FALSE");
                break;
            case var _ when node.Type == typeof(bool) && AsProperty(node) is { } flag && flag.ValueType == typeof(bool):
                _sql.Append('(').Append(flag.QuotedColumn).Append(" IS TRUE)");
                break;
            default:
                throw Unsupported(node, $"the {node.NodeType} expression '{node}'");
        }
    }

    private void VisitComparison(BinaryExpression comparison)
    {
        var op = comparison.NodeType;
        var property = AsProperty(comparison.Left);
        var valueNode = comparison.Right;
        if (property is null)
        {
            property = AsProperty(comparison.Right);
            valueNode = comparison.Left;
            op = FilterExpressions.Mirror(op);
        }

        if (property is null || References(valueNode))
        {
            throw Unsupported(comparison, $"the comparison '{comparison}' (compare a key or data property with a value)");
        }

        var value = FilterExpressions.Evaluate(valueNode);
        if (op is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            if (property.IsStringCollection)
            {
                throw Unsupported(comparison, $"'{op}' on the list property '{property.Name}' (use Contains)");
            }

            _sql.Append('(').Append(property.QuotedColumn).Append(op == ExpressionType.Equal ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
            _sql.Append(value is null ? "NULL" : AddParameter(property, value)).Append(')');
            return;
        }

        if (!property.IsOrderable)
        {
            throw Unsupported(comparison, $"the ordering comparison '{op}' on the {property.ValueType.Name} property '{property.Name}'");
        }

        if (value is null)
        {
            // C#: an ordering comparison with null is false.
            _sql.Append("FALSE");
            return;
        }

        var sqlOp = op switch
        {
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            _ => ">=",
        };

        _sql.Append("COALESCE(").Append(property.QuotedColumn).Append(' ').Append(sqlOp).Append(' ').Append(AddParameter(property, value)).Append(", FALSE)");
    }

    private void VisitCall(MethodCallExpression call)
    {
        if (call.Method.Name != nameof(Enumerable.Contains))
        {
            throw Unsupported(call, $"the method '{call.Method.DeclaringType?.Name}.{call.Method.Name}'");
        }

        var (source, item) = FilterExpressions.ContainsArguments(call) ?? throw Unsupported(call, $"the Contains overload '{call.Method}'");

        if (source.Type == typeof(string))
        {
            throw Unsupported(call, "string.Contains (substring search)");
        }

        if (AsProperty(source) is { IsStringCollection: true } list && !References(item))
        {
            // property.Contains(value): the stored text[] holds the value. A null value matches a null element, as in C#.
            var value = FilterExpressions.Evaluate(item);
            if (value is null)
            {
                _sql.Append("COALESCE(array_position(").Append(list.QuotedColumn).Append(", NULL) IS NOT NULL, FALSE)");
            }
            else
            {
                _sql.Append("COALESCE(").Append(list.QuotedColumn).Append(" @> ARRAY[").Append(AddParameter(value, NpgsqlTypes.NpgsqlDbType.Text)).Append("]::text[], FALSE)");
            }

            return;
        }

        if (AsProperty(item) is { IsStringCollection: false } scalar && !References(source))
        {
            // values.Contains(property): the property is one of the captured values.
            var values = ((IEnumerable?)FilterExpressions.Evaluate(source))?.Cast<object?>().ToList() ?? [];
            var nonNull = values.Where(v => v is not null).ToList();
            _sql.Append('(');
            if (nonNull.Count == 0)
            {
                _sql.Append("FALSE");
            }
            else
            {
                _sql.Append("COALESCE(").Append(scalar.QuotedColumn).Append(" IN (");
                for (var i = 0; i < nonNull.Count; i++)
                {
                    _sql.Append(i == 0 ? string.Empty : ", ").Append(AddParameter(scalar, nonNull[i]!));
                }

                _sql.Append("), FALSE)");
            }

            if (nonNull.Count != values.Count)
            {
                _sql.Append(" OR ").Append(scalar.QuotedColumn).Append(" IS NULL");
            }

            _sql.Append(')');
            return;
        }

        throw Unsupported(call, $"the Contains call '{call}' (use property.Contains(value) on a string list property, or values.Contains(property) on captured values)");
    }

    /// <summary>Returns the key or data property <paramref name="node"/> reads from the record, ignoring conversions.</summary>
    private PostgresProperty? AsProperty(Expression node)
    {
        if (FilterExpressions.PropertyName(node, _record) is not { } name)
        {
            return null;
        }

        return _model.FindProperty(name) ?? throw new NotSupportedException(name == _model.Model.Vector.Name
            ? $"The filter uses the vector property '{name}'; filters can only use key and data properties."
            : $"The filter uses the property '{name}', which is not a key or data property of '{_model.RecordType.FullName}'.");
    }

    private string AddParameter(PostgresProperty property, object value) => AddParameter(property.ToParameterValue(value), property.DbType);

    private string AddParameter(object value, NpgsqlTypes.NpgsqlDbType type)
    {
        var name = "f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }

    private bool References(Expression node) => FilterExpressions.References(node, _record);

    private static NotSupportedException Unsupported(Expression node, string construct) =>
        new($"The PostgreSQL vector store cannot translate {construct} in a filter. Supported: ==, !=, <, <=, >, >= between a key or data property and a value, &&, ||, !, bool properties, values.Contains(property) and listProperty.Contains(value). Expression: {node}");
}
