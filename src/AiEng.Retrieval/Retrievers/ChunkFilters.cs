using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace AiEng.Retrieval;

/// <summary>Combines, checks and compiles the filters of a retriever's options and of a request.</summary>
internal static class ChunkFilters
{
    /// <summary>Compiled filters by expression instance, so a filter reused across requests is compiled once.</summary>
    private static readonly ConditionalWeakTable<Expression<Func<ChunkRecord, bool>>, Func<ChunkRecord, bool>> Compiled = new();

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

    /// <summary>Returns the compiled form of <paramref name="filter"/>, compiling each expression instance once.</summary>
    public static Func<ChunkRecord, bool> Compile(Expression<Func<ChunkRecord, bool>> filter) =>
        Compiled.GetValue(filter, static expression => expression.Compile());

    /// <summary>
    /// Checks the filterable metadata keys of an option and returns them without duplicates, in order; <see langword="null"/> gives none.
    /// </summary>
    /// <exception cref="ArgumentException">A key is null, empty, white space or contains <c>=</c> (the message names the option).</exception>
    public static string[] CheckFields(IEnumerable<string>? fields, string option)
    {
        var checkedFields = new List<string>();
        foreach (string? field in fields ?? [])
        {
            if (string.IsNullOrWhiteSpace(field) || field.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{option} holds '{field}', which cannot be a filterable metadata key: a key must be non-empty and must not contain '=', for example 'tenant'.",
                    "options");
            }

            if (!checkedFields.Contains(field, StringComparer.Ordinal))
            {
                checkedFields.Add(field);
            }
        }

        return [.. checkedFields];
    }

    /// <summary>
    /// Throws when <paramref name="filter"/> names a metadata key that is not among <paramref name="filterableFields"/>: the
    /// stored chunks have no tags for it, so the filter would silently pass nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not declared filterable (the message names it and says how to declare it).</exception>
    public static void CheckDeclared(MetadataFilter? filter, IReadOnlyCollection<string> filterableFields, string retriever)
    {
        if (filter is null)
        {
            return;
        }

        foreach (MetadataCondition condition in filter.Conditions)
        {
            if (!filterableFields.Contains(condition.Key, StringComparer.Ordinal))
            {
                string declared = filterableFields.Count == 0 ? "none is declared" : "declared: " + string.Join(", ", filterableFields);
                throw new ArgumentException(
                    $"The request filters on the metadata key '{condition.Key}', which is not filterable ({declared}). Declare it in the " +
                    $"configuration AiEng:Retrieval:FilterableFields (with AddRetrieval; for example AiEng__Retrieval__FilterableFields__0={condition.Key}), " +
                    $"or in the FilterableFields of {retriever}'s options and of the DocumentIngestorOptions, then re-ingest the documents so that their chunks carry its tags.",
                    "request");
            }
        }
    }

    /// <summary>
    /// Returns the filter a leaf retriever applies for <paramref name="request"/>: <paramref name="optionsFilter"/>, the
    /// request's <see cref="RetrievalRequest.Filter"/> and its <see cref="RetrievalRequest.MetadataFilter"/>, all of which
    /// must hold (<see langword="null"/> for none).
    /// </summary>
    public static Expression<Func<ChunkRecord, bool>>? Combine(Expression<Func<ChunkRecord, bool>>? optionsFilter, RetrievalRequest request)
    {
        var metadata = request.MetadataFilter is { Conditions.Count: > 0 } filter ? filter.ToExpression() : null;
        return And(And(optionsFilter, request.Filter), metadata);
    }

    /// <summary>Whether <paramref name="request"/> carries any filter.</summary>
    public static bool IsFiltered(RetrievalRequest request) => request.Filter is not null || request.MetadataFilter is { Conditions.Count: > 0 };

    private sealed class ParameterRebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
