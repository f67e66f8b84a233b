using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>
/// Translates a filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) to a SQL WHERE clause with parameters.
/// </summary>
/// <remarks>
/// <para>
/// Supported: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> between a key or data property and a value
/// (a constant or a captured variable), <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, a bool property on its own,
/// <c>list.Contains(property)</c> over a captured array or list, and <c>property.Contains(value)</c> on a string[] or
/// List&lt;string&gt; property. Anything else throws <see cref="NotSupportedException"/> naming the construct.
/// </para>
/// <para>
/// Every translated predicate is true or false, never SQL NULL, with C# semantics: <c>==</c>/<c>!=</c> use SQLite's
/// null-safe <c>IS</c>/<c>IS NOT</c>, and an ordering comparison with a null value is false, so <c>!</c> stays exact.
/// </para>
/// </remarks>
internal sealed class SqliteFilterTranslator
{
    private readonly SqliteRecordModel _model;
    private readonly ParameterExpression _record;
    private readonly StringBuilder _sql = new();
    private readonly List<SqliteParameter> _parameters = [];

    private SqliteFilterTranslator(SqliteRecordModel model, ParameterExpression record)
    {
        _model = model;
        _record = record;
    }

    /// <summary>Translates <paramref name="filter"/>.</summary>
    /// <returns>The SQL condition and its parameters (named <c>@f0</c>, <c>@f1</c>, ...).</returns>
    /// <exception cref="NotSupportedException">The filter uses a construct that is not supported.</exception>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Translate(SqliteRecordModel model, LambdaExpression filter)
    {
        var translator = new SqliteFilterTranslator(model, filter.Parameters[0]);
        translator.Visit(filter.Body);
        return (translator._sql.ToString(), translator._parameters);
    }

    /// <summary>Maps a property selector (<c>r =&gt; r.Property</c>, as used by OrderBy) to its property.</summary>
    /// <exception cref="NotSupportedException">The selector is not a key or data property.</exception>
    public static SqliteProperty ResolveProperty(SqliteRecordModel model, LambdaExpression selector)
    {
        var translator = new SqliteFilterTranslator(model, selector.Parameters[0]);
        return translator.AsProperty(selector.Body)
            ?? throw new NotSupportedException($"The property selector '{selector}' is not supported by the SQLite vector store: select a key or data property directly, as in r => r.Name.");
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
                _sql.Append((bool)FilterExpressions.Evaluate(node)! ? "1" : "0");
                break;
            case var _ when node.Type == typeof(bool) && AsProperty(node) is { Kind: SqliteValueKind.Boolean } flag:
                _sql.Append('(').Append(flag.QuotedColumn).Append(" IS 1)");
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

            _sql.Append('(').Append(property.ComparableColumn).Append(op == ExpressionType.Equal ? " IS " : " IS NOT ");
            _sql.Append(value is null ? "NULL" : AddParameter(property.ToComparableValue(value))).Append(')');
            return;
        }

        if (!property.IsOrderable)
        {
            throw Unsupported(comparison, $"the ordering comparison '{op}' on the {property.Kind} property '{property.Name}'");
        }

        if (value is null)
        {
            // C#: an ordering comparison with null is false.
            _sql.Append('0');
            return;
        }

        var sqlOp = op switch
        {
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            _ => ">=",
        };
        _sql.Append('(').Append(property.ComparableColumn).Append(" IS NOT NULL AND ").Append(property.ComparableColumn)
            .Append(' ').Append(sqlOp).Append(' ').Append(AddParameter(property.ToComparableValue(value))).Append(')');
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
            // property.Contains(value): any element of the stored JSON array equals the value.
            _sql.Append("EXISTS (SELECT 1 FROM json_each(").Append(list.QuotedColumn).Append(") WHERE value IS ")
                .Append(AddParameter(FilterExpressions.Evaluate(item) ?? DBNull.Value)).Append(')');
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
                _sql.Append('0');
            }
            else
            {
                _sql.Append(scalar.ComparableColumn).Append(" IN (");
                for (var i = 0; i < nonNull.Count; i++)
                {
                    _sql.Append(i == 0 ? string.Empty : ", ").Append(AddParameter(scalar.ToComparableValue(nonNull[i])));
                }

                _sql.Append(") AND ").Append(scalar.QuotedColumn).Append(" IS NOT NULL");
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
    private SqliteProperty? AsProperty(Expression node)
    {
        if (FilterExpressions.PropertyName(node, _record) is not { } name)
        {
            return null;
        }

        return _model.FindProperty(name) ?? throw new NotSupportedException(name == _model.Vector.Name
            ? $"The filter uses the vector property '{name}'; filters can only use key and data properties."
            : $"The filter uses the property '{name}', which is not a key or data property of '{_model.RecordType.FullName}'.");
    }

    private string AddParameter(object value)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new SqliteParameter(name, value));
        return name;
    }

    private bool References(Expression node) => FilterExpressions.References(node, _record);

    private static NotSupportedException Unsupported(Expression node, string construct) =>
        new($"The SQLite vector store cannot translate {construct} in a filter. Supported: ==, !=, <, <=, >, >= between a key or data property and a value, &&, ||, !, bool properties, values.Contains(property) and listProperty.Contains(value). Expression: {node}");
}
