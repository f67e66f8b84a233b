using System.Linq.Expressions;
using System.Reflection;

namespace AiEng.Retrieval;

/// <summary>
/// Rewrites a filter over <see cref="ChunkRecord"/> into the same filter over a mapped record type, member by member
/// (<see cref="ChunkRecordMapper{TRecord}.MapProperty"/>), with tag tests (<c>Tags.Contains("key=value")</c>) given to
/// <see cref="ChunkRecordMapper{TRecord}.MapTag"/>.
/// </summary>
internal sealed class ChunkFilterTranslator<TRecord> : ExpressionVisitor
    where TRecord : class
{
    private readonly ChunkRecordMapper<TRecord> _mapper;
    private readonly ParameterExpression _from;
    private readonly ParameterExpression _to;

    private ChunkFilterTranslator(ChunkRecordMapper<TRecord> mapper, ParameterExpression from)
    {
        _mapper = mapper;
        _from = from;
        _to = Expression.Parameter(typeof(TRecord), from.Name);
    }

    /// <summary>Translates <paramref name="filter"/>; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <exception cref="NotSupportedException">The filter reads a property the mapper does not map (the message names it).</exception>
    public static Expression<Func<TRecord, bool>>? Translate(ChunkRecordMapper<TRecord> mapper, Expression<Func<ChunkRecord, bool>>? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var translator = new ChunkFilterTranslator<TRecord>(mapper, filter.Parameters[0]);
        return Expression.Lambda<Func<TRecord, bool>>(translator.Visit(filter.Body), translator._to);
    }

    /// <inheritdoc/>
    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression == _from)
        {
            return Mapped(node.Member.Name, ((PropertyInfo)node.Member).PropertyType);
        }

        return base.VisitMember(node);
    }

    /// <inheritdoc/>
    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        // record.Tags.Contains(tag), with the tag a constant or a captured value: a metadata condition.
        if (node.Object is MemberExpression { Member.Name: nameof(ChunkRecord.Tags) } tags && tags.Expression == _from
            && node.Method.Name == nameof(List<string>.Contains) && node.Arguments.Count == 1 && !References(node.Arguments[0], _from))
        {
            string tag = Expression.Lambda<Func<string>>(node.Arguments[0]).Compile(preferInterpretation: true)();
            int equals = tag.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && _mapper.MapTag(tag[..equals], tag[(equals + 1)..]) is { } condition)
            {
                return new Rebinder(condition.Parameters[0], _to).Visit(condition.Body);
            }
        }

        return base.VisitMethodCall(node);
    }

    /// <inheritdoc/>
    protected override Expression VisitParameter(ParameterExpression node) =>
        node == _from
            ? throw new NotSupportedException(
                $"The filter uses the {nameof(ChunkRecord)} itself, not one of its properties; {_mapper.GetType().Name} can only translate filters on mapped properties.")
            : base.VisitParameter(node);

    private static bool References(Expression expression, ParameterExpression parameter)
    {
        var finder = new ParameterFinder(parameter);
        finder.Visit(expression);
        return finder.Found;
    }

    private Expression Mapped(string property, Type type)
    {
        LambdaExpression member = _mapper.MapProperty(property)
            ?? throw new NotSupportedException(
                $"The filter reads {nameof(ChunkRecord)}.{property}, which {_mapper.GetType().Name} does not map to a member of {typeof(TRecord).Name}; map it in {nameof(ChunkRecordMapper<TRecord>.MapProperty)}" +
                (property == nameof(ChunkRecord.Tags) ? $" or translate the tag in {nameof(ChunkRecordMapper<TRecord>.MapTag)}." : "."));
        if (member.Parameters.Count != 1 || member.Parameters[0].Type != typeof(TRecord) || member.ReturnType != type)
        {
            throw new InvalidOperationException(
                $"{_mapper.GetType().Name}.{nameof(ChunkRecordMapper<TRecord>.MapProperty)}(\"{property}\") must be a lambda from {typeof(TRecord).Name} to {type.Name}; it is {member}.");
        }

        return new Rebinder(member.Parameters[0], _to).Visit(member.Body);
    }

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found |= node == parameter;
            return base.VisitParameter(node);
        }
    }
}
