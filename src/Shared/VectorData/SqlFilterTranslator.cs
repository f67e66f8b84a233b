using System.Collections;
using System.Linq.Expressions;
using System.Text;

namespace AiEng.Retrieval;

/// <summary>
/// The part of translating a filter (<c>Expression&lt;Func&lt;TRecord, bool&gt;&gt;</c>) to a SQL condition that every AiEng
/// SQL store shares: which constructs are supported and how they are taken apart. Each store (SQLite, PostgreSQL)
/// derives it and writes the SQL of each construct, with every value a parameter.
/// </summary>
/// <typeparam name="TProperty">The store's mapping of a key or data property to its column.</typeparam>
/// <remarks>
/// Supported: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> between a key or data property and a value
/// (a constant or a captured variable), <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, a bool property on its own,
/// <c>values.Contains(property)</c> over a captured array or list, and <c>property.Contains(value)</c> on a string[] or
/// List&lt;string&gt; property. Anything else throws <see cref="NotSupportedException"/> naming the construct. Every
/// predicate a store writes must be true or false, never SQL NULL, so that <c>!</c> keeps C# semantics.
/// </remarks>
internal abstract class SqlFilterTranslator<TProperty>
    where TProperty : class
{
    private readonly ParameterExpression _record;

    protected SqlFilterTranslator(ParameterExpression record) => _record = record;

    /// <summary>Gets the SQL written so far.</summary>
    protected StringBuilder Sql { get; } = new();

    /// <summary>Gets the store's name for messages, for example "SQLite".</summary>
    protected abstract string StoreName { get; }

    /// <summary>Gets the record type, for messages.</summary>
    protected abstract Type RecordType { get; }

    /// <summary>Gets the name of the record's vector property, which filters cannot use.</summary>
    protected abstract string VectorPropertyName { get; }

    /// <summary>Returns the property <paramref name="node"/> reads from the record (ignoring conversions), or <see langword="null"/>.</summary>
    /// <exception cref="NotSupportedException">It reads the vector or a property that is not mapped.</exception>
    public TProperty? AsProperty(Expression node)
    {
        if (FilterExpressions.PropertyName(node, _record) is not { } name)
        {
            return null;
        }

        return FindProperty(name) ?? throw new NotSupportedException(name == VectorPropertyName
            ? $"The filter uses the vector property '{name}'; filters can only use key and data properties."
            : $"The filter uses the property '{name}', which is not a key or data property of '{RecordType.FullName}'.");
    }

    /// <summary>Writes the condition of <paramref name="node"/>, a filter's body.</summary>
    protected void Visit(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                Sql.Append('(');
                Visit(logical.Left);
                Sql.Append(logical.NodeType == ExpressionType.AndAlso ? " AND " : " OR ");
                Visit(logical.Right);
                Sql.Append(')');
                break;
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Operand.Type == typeof(bool):
                Sql.Append("(NOT ");
                Visit(not.Operand);
                Sql.Append(')');
                break;
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison:
                VisitComparison(comparison);
                break;
            case MethodCallExpression call:
                VisitCall(call);
                break;
            case var _ when !References(node) && node.Type == typeof(bool):
                AppendConstant((bool)FilterExpressions.Evaluate(node)!);
                break;
            case var _ when node.Type == typeof(bool) && AsProperty(node) is { } flag && IsBoolean(flag):
                AppendFlag(flag);
                break;
            default:
                throw Unsupported(node, $"the {node.NodeType} expression '{node}'");
        }
    }

    /// <summary>Finds the key or data property called <paramref name="name"/>.</summary>
    protected abstract TProperty? FindProperty(string name);

    /// <summary>Gets the property's name, for messages.</summary>
    protected abstract string NameOf(TProperty property);

    /// <summary>Gets the property's value type, for messages.</summary>
    protected abstract string KindOf(TProperty property);

    /// <summary>Gets a value indicating whether the property is a list of strings.</summary>
    protected abstract bool IsStringCollection(TProperty property);

    /// <summary>Gets a value indicating whether the property's values can be ordered.</summary>
    protected abstract bool IsOrderable(TProperty property);

    /// <summary>Gets a value indicating whether the property is a bool.</summary>
    protected abstract bool IsBoolean(TProperty property);

    /// <summary>Writes a constant condition.</summary>
    protected abstract void AppendConstant(bool value);

    /// <summary>Writes "the bool property is true".</summary>
    protected abstract void AppendFlag(TProperty property);

    /// <summary>Writes a null-safe <c>==</c> (<paramref name="equal"/>) or <c>!=</c> with <paramref name="value"/> (which may be null).</summary>
    protected abstract void AppendEquality(TProperty property, bool equal, object? value);

    /// <summary>Writes <c>property op value</c> (op is &lt;, &lt;=, &gt; or &gt;=; value is not null), false when the column is null.</summary>
    protected abstract void AppendOrdering(TProperty property, string op, object value);

    /// <summary>Writes "the list property holds <paramref name="value"/>".</summary>
    protected abstract void AppendListContains(TProperty list, object? value);

    /// <summary>Writes "the property is one of <paramref name="values"/>" (which are not null and not empty), false when the column is null.</summary>
    protected abstract void AppendIn(TProperty property, List<object> values);

    /// <summary>Writes "the property is null".</summary>
    protected abstract void AppendIsNull(TProperty property);

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
            if (IsStringCollection(property))
            {
                throw Unsupported(comparison, $"'{op}' on the list property '{NameOf(property)}' (use Contains)");
            }

            AppendEquality(property, op == ExpressionType.Equal, value);
            return;
        }

        if (!IsOrderable(property))
        {
            throw Unsupported(comparison, $"the ordering comparison '{op}' on the {KindOf(property)} property '{NameOf(property)}'");
        }

        if (value is null)
        {
            // C#: an ordering comparison with null is false.
            AppendConstant(false);
            return;
        }

        AppendOrdering(property, op switch
        {
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            _ => ">=",
        }, value);
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

        if (AsProperty(source) is { } list && IsStringCollection(list) && !References(item))
        {
            AppendListContains(list, FilterExpressions.Evaluate(item));
            return;
        }

        if (AsProperty(item) is { } scalar && !IsStringCollection(scalar) && !References(source))
        {
            // values.Contains(property): the property is one of the captured values.
            var values = ((IEnumerable?)FilterExpressions.Evaluate(source))?.Cast<object?>().ToList() ?? [];
            var nonNull = values.OfType<object>().ToList();
            Sql.Append('(');
            if (nonNull.Count == 0)
            {
                AppendConstant(false);
            }
            else
            {
                AppendIn(scalar, nonNull);
            }

            if (nonNull.Count != values.Count)
            {
                Sql.Append(" OR ");
                AppendIsNull(scalar);
            }

            Sql.Append(')');
            return;
        }

        throw Unsupported(call, $"the Contains call '{call}' (use property.Contains(value) on a string list property, or values.Contains(property) on captured values)");
    }

    private bool References(Expression node) => FilterExpressions.References(node, _record);

    private NotSupportedException Unsupported(Expression node, string construct) =>
        new($"The {StoreName} vector store cannot translate {construct} in a filter. Supported: ==, !=, <, <=, >, >= between a key or data property and a value, &&, ||, !, bool properties, values.Contains(property) and listProperty.Contains(value). Expression: {node}");
}
