using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// How a record type maps to a collection table: the key column, one column per data property and the vector as a float32
/// BLOB. Built from a <see cref="VectorStoreCollectionDefinition"/> when one is given, otherwise from the MEVD attributes.
/// </summary>
/// <remarks>
/// MEVD's own model builder (<c>Microsoft.Extensions.VectorData.ProviderServices</c>) is experimental (MEVD9001), so this
/// small mapping is written here instead of depending on an API that may change.
/// </remarks>
internal sealed class SqliteRecordModel
{
    private readonly Dictionary<string, SqliteProperty> _byName;
    private readonly ConstructorInfo _constructor;

    private SqliteRecordModel(Type recordType, ConstructorInfo constructor, SqliteProperty key, IReadOnlyList<SqliteProperty> data, SqliteVectorProperty vector)
    {
        RecordType = recordType;
        _constructor = constructor;
        Key = key;
        Data = data;
        Vector = vector;
        _byName = new Dictionary<string, SqliteProperty>(StringComparer.Ordinal) { [key.Name] = key };
        foreach (var property in data)
        {
            _byName[property.Name] = property;
        }
    }

    /// <summary>Gets the record type.</summary>
    public Type RecordType { get; }

    /// <summary>Gets the key property.</summary>
    public SqliteProperty Key { get; }

    /// <summary>Gets the data properties.</summary>
    public IReadOnlyList<SqliteProperty> Data { get; }

    /// <summary>Gets the vector property.</summary>
    public SqliteVectorProperty Vector { get; }

    /// <summary>Builds the model of <paramref name="recordType"/> with keys of <paramref name="keyType"/>.</summary>
    /// <exception cref="NotSupportedException">A property type, a distance function or a second vector is not supported.</exception>
    /// <exception cref="InvalidOperationException">The model has no key or no vector, or names a property the type lacks.</exception>
    public static SqliteRecordModel Build(Type keyType, Type recordType, VectorStoreCollectionDefinition? definition)
    {
        var constructor = recordType.GetConstructor(Type.EmptyTypes)
            ?? throw new NotSupportedException($"The record type '{recordType.FullName}' has no public parameterless constructor, which the SQLite vector store needs to create records.");

        SqliteProperty? key = null;
        SqliteVectorProperty? vector = null;
        var data = new List<SqliteProperty>();
        foreach (var (property, declared) in Describe(recordType, definition))
        {
            if (property.GetMethod is null || property.SetMethod is null || !property.SetMethod.IsPublic)
            {
                throw new NotSupportedException($"The property '{property.Name}' of record type '{recordType.FullName}' needs a public getter and setter.");
            }

            switch (declared)
            {
                case VectorStoreKeyProperty k:
                    if (key is not null)
                    {
                        throw new NotSupportedException($"The record type '{recordType.FullName}' has two key properties ('{key.Name}' and '{property.Name}'); the SQLite vector store supports one.");
                    }

                    if (property.PropertyType != keyType)
                    {
                        throw new InvalidOperationException($"The key property '{property.Name}' of record type '{recordType.FullName}' has type '{property.PropertyType}', but the collection's key type is '{keyType}'.");
                    }

                    key = SqliteProperty.Create(property, k.StorageName, isIndexed: true, isKey: true, recordType);
                    break;
                case VectorStoreDataProperty d:
                    data.Add(SqliteProperty.Create(property, d.StorageName, d.IsIndexed, isKey: false, recordType));
                    break;
                case VectorStoreVectorProperty v:
                    if (vector is not null)
                    {
                        throw new NotSupportedException($"The record type '{recordType.FullName}' has two vector properties ('{vector.Name}' and '{property.Name}'); the SQLite vector store supports exactly one.");
                    }

                    vector = SqliteVectorProperty.Create(property, v, recordType);
                    break;
            }
        }

        if (key is null)
        {
            throw new InvalidOperationException($"The record type '{recordType.FullName}' has no key property; mark one with [VectorStoreKey] or pass a definition with a VectorStoreKeyProperty.");
        }

        if (vector is null)
        {
            throw new InvalidOperationException($"The record type '{recordType.FullName}' has no vector property; the SQLite vector store needs exactly one (ReadOnlyMemory<float>, float[] or Embedding<float>).");
        }

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in data.Select(d => d.ColumnName).Prepend(key.ColumnName).Append(vector.ColumnName))
        {
            if (!columns.Add(column))
            {
                throw new NotSupportedException($"Two properties of record type '{recordType.FullName}' are stored in the column '{column}' (SQLite column names ignore case); give one a different storage name.");
            }
        }

        return new SqliteRecordModel(recordType, constructor, key, data, vector);
    }

    /// <summary>Finds the key or data property called <paramref name="name"/>.</summary>
    public SqliteProperty? FindProperty(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Creates an empty record.</summary>
    public object CreateRecord() => _constructor.Invoke(null);

    private static IEnumerable<(PropertyInfo Property, VectorStoreProperty Declared)> Describe(Type recordType, VectorStoreCollectionDefinition? definition)
    {
        if (definition is not null)
        {
            foreach (var declared in definition.Properties)
            {
                var property = recordType.GetProperty(declared.Name, BindingFlags.Public | BindingFlags.Instance)
                    ?? throw new InvalidOperationException($"The collection definition names the property '{declared.Name}', which the record type '{recordType.FullName}' does not have.");
                if (declared.Type is not null && declared.Type != property.PropertyType && declared is not VectorStoreVectorProperty)
                {
                    throw new InvalidOperationException($"The collection definition declares the property '{declared.Name}' of record type '{recordType.FullName}' as '{declared.Type}', but it is '{property.PropertyType}'.");
                }

                yield return (property, declared);
            }

            yield break;
        }

        foreach (var property in recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<VectorStoreKeyAttribute>() is { } key)
            {
                yield return (property, new VectorStoreKeyProperty(property.Name, property.PropertyType) { StorageName = key.StorageName });
            }
            else if (property.GetCustomAttribute<VectorStoreDataAttribute>() is { } data)
            {
                yield return (property, new VectorStoreDataProperty(property.Name, property.PropertyType) { StorageName = data.StorageName, IsIndexed = data.IsIndexed });
            }
            else if (property.GetCustomAttribute<VectorStoreVectorAttribute>() is { } vector)
            {
                yield return (property, new VectorStoreVectorProperty(property.Name, property.PropertyType, vector.Dimensions)
                {
                    StorageName = vector.StorageName,
                    DistanceFunction = vector.DistanceFunction,
                    IndexKind = vector.IndexKind,
                });
            }
        }
    }
}
