using System.Linq.Expressions;
using System.Reflection;
using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>
/// A filter on the metadata of chunks, by equality (<see cref="Where"/>) and any-of (<see cref="WhereAny"/>) on the keys
/// declared filterable; every condition must hold. Immutable: each call returns a new filter.
/// </summary>
/// <remarks>
/// <para>
/// Set it on a request with <see cref="RetrievalRequest.Where"/> or <see cref="RetrievalRequest.WhereAny"/>. Retrievers apply
/// it on every side of a search before the top chunks are chosen: the dense side gives the store
/// <see cref="ToExpression"/>, <c>record =&gt; record.Tags.Contains("tenant=a") &amp;&amp; (record.Tags.Contains("lang=en") || ...)</c>,
/// which every MEVD connector translates, and the keyword side checks <see cref="Matches"/> on each candidate. So a hybrid
/// search never returns a chunk the filter excludes.
/// </para>
/// <para>
/// Only keys declared filterable (configuration <c>AiEng:Retrieval:FilterableFields</c>, or the ingestor's and retrievers'
/// <c>FilterableFields</c> options) have tags in the stored chunks; AiEng's retrievers reject a filter on any other key with
/// an <see cref="ArgumentException"/> naming it, rather than silently returning nothing.
/// </para>
/// </remarks>
public sealed class MetadataFilter
{
    private static readonly MethodInfo ListContains = typeof(List<string>).GetMethod(nameof(List<string>.Contains), [typeof(string)])!;
    private static readonly PropertyInfo TagsProperty = typeof(ChunkRecord).GetProperty(nameof(ChunkRecord.Tags))!;

    private readonly MetadataCondition[] _conditions;

    /// <summary>Initializes a new instance of the <see cref="MetadataFilter"/> class with no condition (every chunk passes).</summary>
    public MetadataFilter()
        : this([])
    {
    }

    private MetadataFilter(MetadataCondition[] conditions)
    {
        _conditions = conditions;
    }

    /// <summary>Gets the conditions, all of which a chunk must meet.</summary>
    public IReadOnlyList<MetadataCondition> Conditions => _conditions;

    /// <summary>Gets a value indicating whether no chunk can pass: a condition accepts no value.</summary>
    public bool MatchesNothing => _conditions.Any(static condition => condition.Values.Count == 0);

    /// <summary>Returns this filter with the condition that metadata key <paramref name="key"/> equals <paramref name="value"/>.</summary>
    /// <param name="key">A filterable metadata key.</param>
    /// <param name="value">The value the chunk's metadata must have (ordinal comparison).</param>
    /// <returns>A new filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, white space or contains <c>=</c>.</exception>
    public MetadataFilter Where(string key, string value)
    {
        Throw.IfNull(value);
        return WhereAny(key, [value]);
    }

    /// <summary>
    /// Returns this filter with the condition that metadata key <paramref name="key"/> has one of <paramref name="values"/>;
    /// with no values, no chunk passes (for example a user who belongs to no group sees nothing).
    /// </summary>
    /// <param name="key">A filterable metadata key.</param>
    /// <param name="values">The accepted values (ordinal comparison); duplicates are ignored.</param>
    /// <returns>A new filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="values"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty, white space or contains <c>=</c>.</exception>
    public MetadataFilter WhereAny(string key, params IEnumerable<string> values)
    {
        ChunkRecord.CheckTagKey(key, nameof(key));
        Throw.IfNull(values);
        var accepted = new List<string>();
        foreach (string value in values)
        {
            Throw.IfNull(value, nameof(values));
            if (!accepted.Contains(value, StringComparer.Ordinal))
            {
                accepted.Add(value);
            }
        }

        return new MetadataFilter([.. _conditions, new MetadataCondition(key, [.. accepted])]);
    }

    /// <summary>Checks whether <paramref name="record"/> passes: its <see cref="ChunkRecord.Tags"/> meet every condition.</summary>
    /// <param name="record">The record.</param>
    /// <returns><see langword="true"/> when every condition holds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public bool Matches(ChunkRecord record)
    {
        Throw.IfNull(record);
        List<string> tags = record.Tags;
        foreach (MetadataCondition condition in _conditions)
        {
            bool met = false;
            foreach (string tag in condition.Tags)
            {
                if (tags.Contains(tag, StringComparer.Ordinal))
                {
                    met = true;
                    break;
                }
            }

            if (!met)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Returns the filter as a MEVD filter expression over <see cref="ChunkRecord"/>: for each condition an <c>||</c> of
    /// <c>record.Tags.Contains(tag)</c> terms, the conditions joined by <c>&amp;&amp;</c>; <c>record =&gt; true</c> with no
    /// condition.
    /// </summary>
    /// <returns>The expression.</returns>
    /// <remarks>
    /// Equality, <c>&amp;&amp;</c>, <c>||</c> and <c>Contains</c> on a string-list property are what every MEVD connector must
    /// translate. A condition with no accepted value becomes the constant <see langword="false"/>, which stores may not
    /// translate: check <see cref="MatchesNothing"/> first (AiEng's retrievers then return no chunk without asking the store).
    /// </remarks>
    public Expression<Func<ChunkRecord, bool>> ToExpression()
    {
        ParameterExpression record = Expression.Parameter(typeof(ChunkRecord), "record");
        MemberExpression tags = Expression.Property(record, TagsProperty);
        Expression? body = null;
        foreach (MetadataCondition condition in _conditions)
        {
            Expression? any = null;
            foreach (string tag in condition.Tags)
            {
                Expression term = Expression.Call(tags, ListContains, Expression.Constant(tag));
                any = any is null ? term : Expression.OrElse(any, term);
            }

            any ??= Expression.Constant(false);
            body = body is null ? any : Expression.AndAlso(body, any);
        }

        return Expression.Lambda<Func<ChunkRecord, bool>>(body ?? Expression.Constant(true), record);
    }

    /// <inheritdoc/>
    public override string ToString() => _conditions.Length == 0 ? "(no condition)" : string.Join(" and ", _conditions.Select(static c => c.ToString()));
}
