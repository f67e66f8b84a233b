using System.Linq.Expressions;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>
/// How a vector store maps a record type: its key, data and vector properties with compiled accessors, and helpers to
/// copy records and read or write their vector. Built by <see cref="RecordModelBuilder"/>; store-agnostic so every AiEng
/// store (in-memory, SQLite) shares one mapping.
/// </summary>
internal sealed class RecordModel
{
    private readonly Func<object> _create;
    private readonly Dictionary<string, RecordModelProperty> _byName;

    public RecordModel(Type recordType, RecordModelProperty key, IReadOnlyList<RecordModelProperty> dataProperties, RecordModelProperty vector)
    {
        RecordType = recordType;
        Key = key;
        DataProperties = dataProperties;
        Vector = vector;
        Properties = [key, .. dataProperties, vector];
        _byName = Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _create = Expression.Lambda<Func<object>>(Expression.Convert(Expression.New(recordType), typeof(object))).Compile();
    }

    /// <summary>Gets the record type.</summary>
    public Type RecordType { get; }

    /// <summary>Gets the key property.</summary>
    public RecordModelProperty Key { get; }

    /// <summary>Gets the data properties in declaration order.</summary>
    public IReadOnlyList<RecordModelProperty> DataProperties { get; }

    /// <summary>Gets the vector property.</summary>
    public RecordModelProperty Vector { get; }

    /// <summary>Gets every property: key, data, vector.</summary>
    public IReadOnlyList<RecordModelProperty> Properties { get; }

    /// <summary>Gets the vector dimensions.</summary>
    public int Dimensions => Vector.Dimensions;

    /// <summary>Finds a property by its CLR name.</summary>
    public RecordModelProperty? FindProperty(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Creates an empty record through the public parameterless constructor.</summary>
    public object CreateRecord() => _create();

    /// <summary>Reads the key of <paramref name="record"/>.</summary>
    public object? GetKey(object record) => Key.GetValue(record);

    /// <summary>Reads the vector of <paramref name="record"/>; empty when it is not set.</summary>
    public ReadOnlyMemory<float> GetVector(object record) => Vector.GetValue(record) switch
    {
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        _ => ReadOnlyMemory<float>.Empty,
    };

    /// <summary>Writes a copy of <paramref name="vector"/> into the vector property of <paramref name="record"/>.</summary>
    public void SetVector(object record, ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        Vector.SetValue(record, Vector.VectorKind switch
        {
            RecordVectorKind.Array => copy,
            RecordVectorKind.Embedding => new Embedding<float>(copy),
            _ => (object)new ReadOnlyMemory<float>(copy),
        });
    }

    /// <summary>
    /// Copies the key and data properties of <paramref name="record"/> into a new record (string lists and arrays are
    /// copied too), and the vector when <paramref name="includeVector"/> is set.
    /// </summary>
    public object Clone(object record, bool includeVector)
    {
        var copy = CreateRecord();
        Key.SetValue(copy, Key.GetValue(record));
        foreach (var property in DataProperties)
        {
            property.SetValue(copy, CopyValue(property.GetValue(record)));
        }

        if (includeVector)
        {
            SetVector(copy, GetVector(record).Span);
        }

        return copy;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming both sizes when <paramref name="actual"/> is not <see cref="Dimensions"/>.
    /// </summary>
    /// <param name="actual">The vector length found.</param>
    /// <param name="what">What the vector belongs to, for the message (for example "record 'doc#1'").</param>
    /// <param name="paramName">The argument to blame.</param>
    public void CheckDimensions(int actual, string what, string paramName)
    {
        if (actual != Dimensions)
        {
            throw new ArgumentException(
                $"The vector of {what} has the wrong size for property '{Vector.Name}' of '{RecordType.Name}': expected {Dimensions} dimensions, got {actual}.",
                paramName);
        }
    }

    private static object? CopyValue(object? value) => value switch
    {
        string[] array => array.Clone(),
        List<string> list => new List<string>(list),
        _ => value,
    };
}
