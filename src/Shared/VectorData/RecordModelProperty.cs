using System.Linq.Expressions;
using System.Reflection;

namespace AiEng.Retrieval;

/// <summary>
/// One property of a <see cref="RecordModel"/>: its names, CLR type, role, index flags and compiled accessors.
/// Store-agnostic, so every AiEng store maps records the same way.
/// </summary>
internal sealed class RecordModelProperty
{
    private readonly Func<object, object?> _getter;
    private readonly Action<object, object?> _setter;

    public RecordModelProperty(PropertyInfo clrProperty, RecordPropertyRole role, string? storageName)
    {
        ClrProperty = clrProperty;
        Role = role;
        Name = clrProperty.Name;
        StorageName = string.IsNullOrEmpty(storageName) ? clrProperty.Name : storageName;
        Type = clrProperty.PropertyType;
        _getter = CompileGetter(clrProperty);
        _setter = CompileSetter(clrProperty);
    }

    /// <summary>Gets the CLR property.</summary>
    public PropertyInfo ClrProperty { get; }

    /// <summary>Gets the property's role.</summary>
    public RecordPropertyRole Role { get; }

    /// <summary>Gets the property name on the record type.</summary>
    public string Name { get; }

    /// <summary>Gets the name a store should use for the property (the attribute's or definition's storage name, else <see cref="Name"/>).</summary>
    public string StorageName { get; }

    /// <summary>Gets the property's CLR type.</summary>
    public Type Type { get; }

    /// <summary>Gets or sets a value indicating whether a data property is marked for filtering.</summary>
    public bool IsIndexed { get; init; }

    /// <summary>Gets or sets a value indicating whether a data property is marked for full-text search.</summary>
    public bool IsFullTextIndexed { get; init; }

    /// <summary>Gets or sets the vector dimensions (vector property only).</summary>
    public int Dimensions { get; init; }

    /// <summary>Gets or sets the distance function name (vector property only; <see langword="null"/> for the store's default).</summary>
    public string? DistanceFunction { get; init; }

    /// <summary>Gets or sets the index kind name (vector property only; <see langword="null"/> for the store's default).</summary>
    public string? IndexKind { get; init; }

    /// <summary>Gets or sets the CLR shape of the vector (vector property only).</summary>
    public RecordVectorKind VectorKind { get; init; }

    /// <summary>Reads the property of <paramref name="record"/>.</summary>
    public object? GetValue(object record) => _getter(record);

    /// <summary>Writes the property of <paramref name="record"/>.</summary>
    public void SetValue(object record, object? value) => _setter(record, value);

    private static Func<object, object?> CompileGetter(PropertyInfo property)
    {
        var record = Expression.Parameter(typeof(object), "record");
        var body = Expression.Convert(
            Expression.Property(Expression.Convert(record, property.DeclaringType!), property),
            typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, record).Compile();
    }

    private static Action<object, object?> CompileSetter(PropertyInfo property)
    {
        var record = Expression.Parameter(typeof(object), "record");
        var value = Expression.Parameter(typeof(object), "value");

        // A null value of a non-nullable value type becomes its default rather than failing the unboxing.
        Expression converted = property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null
            ? Expression.Condition(
                Expression.Equal(value, Expression.Constant(null)),
                Expression.Default(property.PropertyType),
                Expression.Convert(value, property.PropertyType))
            : Expression.Convert(value, property.PropertyType);
        var body = Expression.Assign(
            Expression.Property(Expression.Convert(record, property.DeclaringType!), property),
            converted);
        return Expression.Lambda<Action<object, object?>>(body, record, value).Compile();
    }
}
