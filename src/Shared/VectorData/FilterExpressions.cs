using System.Linq.Expressions;
using System.Reflection;

namespace AiEng.Retrieval;

/// <summary>
/// The expression-tree helpers every AiEng filter translator shares (SQLite, PostgreSQL): evaluating captured values,
/// mirroring comparisons, finding the record parameter, reading a record property through conversions, and taking a
/// <c>Contains</c> call apart. What SQL a construct becomes stays with each store.
/// </summary>
internal static class FilterExpressions
{
    /// <summary>Evaluates a node that does not read the record (a constant, a captured variable, or an expression of them).</summary>
    public static object? Evaluate(Expression node) => node switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Expression: ConstantExpression closure, Member: FieldInfo field } => field.GetValue(closure.Value),
        _ => Expression.Lambda(node).Compile(preferInterpretation: true).DynamicInvoke(),
    };

    /// <summary>Returns the comparison that holds with its operands swapped (<c>a &lt; b</c> is <c>b &gt; a</c>).</summary>
    public static ExpressionType Mirror(ExpressionType op) => op switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => op,
    };

    /// <summary>Gets a value indicating whether <paramref name="node"/> reads <paramref name="record"/>.</summary>
    public static bool References(Expression node, ParameterExpression record) => new ParameterFinder(record).Finds(node);

    /// <summary>Returns the name of the record property <paramref name="node"/> reads from <paramref name="record"/> (ignoring conversions), or <see langword="null"/>.</summary>
    public static string? PropertyName(Expression node, ParameterExpression record)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        return node is MemberExpression { Member: PropertyInfo member, Expression: var target } && target == record ? member.Name : null;
    }

    /// <summary>
    /// Splits a <c>Contains</c> call into its source and item: <c>Enumerable.Contains(source, item)</c> and
    /// <c>MemoryExtensions.Contains(span, item)</c> are static, <c>List&lt;T&gt;.Contains(item)</c> is not; C# 14 binds
    /// <c>array.Contains(x)</c> to the span overload through an implicit conversion, which is unwrapped.
    /// </summary>
    /// <returns>The source and item, or <see langword="null"/> for another overload.</returns>
    public static (Expression Source, Expression Item)? ContainsArguments(MethodCallExpression call)
    {
        if (call.Object is null && call.Arguments.Count == 2)
        {
            return (UnwrapSpan(call.Arguments[0]), call.Arguments[1]);
        }

        return call.Object is not null && call.Arguments.Count == 1 ? (call.Object, call.Arguments[0]) : null;
    }

    private static Expression UnwrapSpan(Expression node) => node switch
    {
        MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var inner] } => inner,
        UnaryExpression { NodeType: ExpressionType.Convert, Operand: var inner } when inner.Type.IsArray => inner,
        _ => node,
    };

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression node)
        {
            _found = false;
            Visit(node);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == parameter;
            return node;
        }
    }
}
