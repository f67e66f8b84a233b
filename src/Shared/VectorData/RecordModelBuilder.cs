using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// Builds a <see cref="RecordModel"/> from the MEVD attributes of a record type, or from a
/// <see cref="VectorStoreCollectionDefinition"/>, which wins. Models built from attributes are cached per type.
/// </summary>
/// <remarks>
/// MEVD ships a model builder for providers (<c>Microsoft.Extensions.VectorData.ProviderServices</c>), but it is meant for
/// connector authors, changes between previews and carries more than AiEng's stores need (JSON mapping, embedding
/// generation); this small builder gives AiEng one stable, store-agnostic mapping with compiled accessors.
/// </remarks>
internal static class RecordModelBuilder
{
    private static readonly ConcurrentDictionary<Type, RecordModel> AttributeModels = new();

    private static readonly HashSet<Type> KeyTypes = [typeof(string), typeof(Guid), typeof(int), typeof(long)];

    private static readonly HashSet<Type> DataTypes =
    [
        typeof(string), typeof(int), typeof(long), typeof(short), typeof(double), typeof(float), typeof(decimal),
        typeof(bool), typeof(DateTimeOffset), typeof(DateTime), typeof(Guid), typeof(string[]), typeof(List<string>),
    ];

    /// <summary>Gets the model of <paramref name="recordType"/>.</summary>
    /// <param name="recordType">The record type.</param>
    /// <param name="definition">The collection definition, or <see langword="null"/> to read the type's attributes.</param>
    /// <returns>The model.</returns>
    /// <exception cref="NotSupportedException">The type uses a key, data or vector type, or a second vector, that AiEng stores do not support.</exception>
    /// <exception cref="InvalidOperationException">The type or definition is not a valid record model (no key, no vector, a missing property...).</exception>
    public static RecordModel Build(Type recordType, VectorStoreCollectionDefinition? definition) =>
        definition is null
            ? AttributeModels.GetOrAdd(recordType, static type => Build(type, FromAttributes(type)))
            : Build(recordType, FromDefinition(recordType, definition));

    /// <summary>Checks that the key type of <paramref name="model"/> is <paramref name="keyType"/>.</summary>
    /// <exception cref="NotSupportedException">The types differ.</exception>
    public static void CheckKeyType(RecordModel model, Type keyType)
    {
        if (model.Key.Type != keyType)
        {
            throw new NotSupportedException(
                $"Record type '{model.RecordType.Name}': the key property '{model.Key.Name}' is {model.Key.Type.Name} but the collection key type is {keyType.Name}.");
        }
    }

    private static RecordModel Build(Type recordType, List<RecordModelProperty> properties)
    {
        if (recordType.IsAbstract || recordType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new NotSupportedException($"Record type '{recordType.Name}' needs a public parameterless constructor.");
        }

        var keys = properties.Where(p => p.Role == RecordPropertyRole.Key).ToList();
        var vectors = properties.Where(p => p.Role == RecordPropertyRole.Vector).ToList();
        if (keys.Count != 1)
        {
            throw new InvalidOperationException(
                $"Record type '{recordType.Name}' must have exactly one key property ([VectorStoreKey] or VectorStoreKeyProperty); found {keys.Count}.");
        }

        if (vectors.Count == 0)
        {
            throw new InvalidOperationException(
                $"Record type '{recordType.Name}' must have a vector property ([VectorStoreVector] or VectorStoreVectorProperty).");
        }

        if (vectors.Count > 1)
        {
            throw new NotSupportedException(
                $"Record type '{recordType.Name}' has {vectors.Count} vector properties ({string.Join(", ", vectors.Select(v => v.Name))}); AiEng stores support exactly one.");
        }

        var key = keys[0];
        if (!KeyTypes.Contains(key.Type))
        {
            throw new NotSupportedException(
                $"Record type '{recordType.Name}': key property '{key.Name}' has type {key.Type.Name}; supported key types are string, Guid, int and long.");
        }

        foreach (var data in properties.Where(p => p.Role == RecordPropertyRole.Data))
        {
            var type = Nullable.GetUnderlyingType(data.Type) ?? data.Type;
            if (!DataTypes.Contains(type))
            {
                throw new NotSupportedException(
                    $"Record type '{recordType.Name}': data property '{data.Name}' has type {data.Type.Name}, which AiEng stores do not support.");
            }
        }

        var vector = vectors[0];
        if (vector.Dimensions < 1)
        {
            throw new InvalidOperationException(
                $"Record type '{recordType.Name}': vector property '{vector.Name}' must declare at least 1 dimension; it declares {vector.Dimensions}.");
        }

        return new RecordModel(recordType, key, [.. properties.Where(p => p.Role == RecordPropertyRole.Data)], vector);
    }

    private static List<RecordModelProperty> FromAttributes(Type recordType)
    {
        var properties = new List<RecordModelProperty>();
        foreach (var property in recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<VectorStoreKeyAttribute>() is { } key)
            {
                properties.Add(new RecordModelProperty(Accessible(recordType, property), RecordPropertyRole.Key, key.StorageName));
            }
            else if (property.GetCustomAttribute<VectorStoreDataAttribute>() is { } data)
            {
                properties.Add(new RecordModelProperty(Accessible(recordType, property), RecordPropertyRole.Data, data.StorageName)
                {
                    IsIndexed = data.IsIndexed,
                    IsFullTextIndexed = data.IsFullTextIndexed,
                });
            }
            else if (property.GetCustomAttribute<VectorStoreVectorAttribute>() is { } vector)
            {
                properties.Add(new RecordModelProperty(Accessible(recordType, property), RecordPropertyRole.Vector, vector.StorageName)
                {
                    Dimensions = vector.Dimensions,
                    DistanceFunction = vector.DistanceFunction,
                    IndexKind = vector.IndexKind,
                    VectorKind = VectorKindOf(recordType, property.Name, property.PropertyType),
                });
            }
        }

        return properties;
    }

    private static List<RecordModelProperty> FromDefinition(Type recordType, VectorStoreCollectionDefinition definition)
    {
        var properties = new List<RecordModelProperty>();
        foreach (var declared in definition.Properties)
        {
            var clr = recordType.GetProperty(declared.Name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException(
                    $"Record type '{recordType.Name}' has no public property '{declared.Name}' named by the collection definition.");
            clr = Accessible(recordType, clr);
            if (declared.Type is { } declaredType && declaredType != clr.PropertyType && declared is not VectorStoreVectorProperty)
            {
                throw new InvalidOperationException(
                    $"Record type '{recordType.Name}': property '{declared.Name}' is {clr.PropertyType.Name} but the collection definition says {declaredType.Name}.");
            }

            properties.Add(declared switch
            {
                VectorStoreKeyProperty key => new RecordModelProperty(clr, RecordPropertyRole.Key, key.StorageName),
                VectorStoreDataProperty data => new RecordModelProperty(clr, RecordPropertyRole.Data, data.StorageName)
                {
                    IsIndexed = data.IsIndexed,
                    IsFullTextIndexed = data.IsFullTextIndexed,
                },
                VectorStoreVectorProperty vector => new RecordModelProperty(clr, RecordPropertyRole.Vector, vector.StorageName)
                {
                    Dimensions = vector.Dimensions,
                    DistanceFunction = vector.DistanceFunction,
                    IndexKind = vector.IndexKind,
                    VectorKind = VectorKindOf(recordType, clr.Name, clr.PropertyType),
                },
                _ => throw new NotSupportedException(
                    $"Record type '{recordType.Name}': property '{declared.Name}' is a {declared.GetType().Name}, which AiEng stores do not support."),
            });
        }

        return properties;
    }

    private static PropertyInfo Accessible(Type recordType, PropertyInfo property) =>
        property.CanRead && property.CanWrite && property.GetSetMethod() is not null && property.GetIndexParameters().Length == 0
            ? property
            : throw new NotSupportedException(
                $"Record type '{recordType.Name}': property '{property.Name}' must have a public getter and setter.");

    private static RecordVectorKind VectorKindOf(Type recordType, string name, Type type)
    {
        if (type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?))
        {
            return RecordVectorKind.ReadOnlyMemory;
        }

        if (type == typeof(float[]))
        {
            return RecordVectorKind.Array;
        }

        if (type == typeof(Embedding<float>))
        {
            return RecordVectorKind.Embedding;
        }

        throw new NotSupportedException(
            $"Record type '{recordType.Name}': vector property '{name}' has type {type.Name}; supported vector types are ReadOnlyMemory<float>, float[] and Embedding<float>.");
    }
}
