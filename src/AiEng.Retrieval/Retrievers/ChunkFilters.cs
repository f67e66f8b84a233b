using System.Linq.Expressions;

namespace AiEng.Retrieval;

/// <summary>Combines the filters of a retriever's options and of a request.</summary>
internal static class ChunkFilters
{
    /// <summary>Returns a filter that both <paramref name="first"/> and <paramref name="second"/> must pass; either may be <see langword="null"/>.</summary>
    public static Expression<Func<ChunkRecord, bool>>? And(Expression<Func<ChunkRecord, bool>>? first, Expression<Func<ChunkRecord, bool>>? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        // One parameter for both bodies, so that the stores' filter translators see a single lambda.
        ParameterExpression record = first.Parameters[0];
        Expression secondBody = new ParameterRebinder(second.Parameters[0], record).Visit(second.Body);
        return Expression.Lambda<Func<ChunkRecord, bool>>(Expression.AndAlso(first.Body, secondBody), record);
    }

    private sealed class ParameterRebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
