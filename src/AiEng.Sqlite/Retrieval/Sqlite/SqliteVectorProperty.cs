using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>The vector property of a record type: its column, size and distance function, and how to read and write it.</summary>
internal sealed class SqliteVectorProperty : SqliteColumn
{
    private readonly Kind _kind;

    private SqliteVectorProperty(PropertyInfo property, string? storageName, int dimensions, string distanceFunction, Kind kind)
        : base(property, storageName)
    {
        Dimensions = dimensions;
        DistanceFunction = distanceFunction;
        _kind = kind;
    }

    private enum Kind
    {
        Memory,
        NullableMemory,
        Array,
        Embedding,
    }

    /// <summary>Gets the number of dimensions every vector must have.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the distance function (a <see cref="Microsoft.Extensions.VectorData.DistanceFunction"/> name).</summary>
    public string DistanceFunction { get; }

    /// <summary>Creates the mapping of <paramref name="property"/>, or explains why it is not supported.</summary>
    public static SqliteVectorProperty Create(PropertyInfo property, VectorStoreVectorProperty declared, Type recordType)
    {
        var type = property.PropertyType;
        var kind = type == typeof(ReadOnlyMemory<float>) ? Kind.Memory
            : type == typeof(ReadOnlyMemory<float>?) ? Kind.NullableMemory
            : type == typeof(float[]) ? Kind.Array
            : type == typeof(Embedding<float>) ? Kind.Embedding
            : throw new NotSupportedException($"The vector property '{property.Name}' of record type '{recordType.FullName}' has type '{type}'; the SQLite vector store supports ReadOnlyMemory<float>, float[] and Embedding<float>.");

        if (declared.Dimensions < 1)
        {
            throw new InvalidOperationException($"The vector property '{property.Name}' of record type '{recordType.FullName}' declares {declared.Dimensions} dimensions; it needs at least 1.");
        }

        var distance = declared.DistanceFunction ?? Microsoft.Extensions.VectorData.DistanceFunction.CosineSimilarity;
        if (!VectorScorer.IsSupported(distance))
        {
            throw new NotSupportedException($"The vector property '{property.Name}' of record type '{recordType.FullName}' uses the distance function '{distance}', which the SQLite vector store does not support. Use {string.Join(", ", VectorScorer.SupportedFunctions)}.");
        }

        return new SqliteVectorProperty(property, declared.StorageName, declared.Dimensions, distance, kind);
    }

    /// <summary>Reads the vector of <paramref name="record"/> (empty when it has none).</summary>
    public ReadOnlyMemory<float> GetVector(object record) => Property.GetValue(record) switch
    {
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        _ => ReadOnlyMemory<float>.Empty,
    };

    /// <summary>Sets the vector of <paramref name="record"/> to <paramref name="vector"/>.</summary>
    public void SetVector(object record, float[] vector) => Property.SetValue(record, _kind switch
    {
        Kind.Memory or Kind.NullableMemory => new ReadOnlyMemory<float>(vector),
        Kind.Array => vector,
        _ => new Embedding<float>(vector),
    });

    /// <summary>Throws when <paramref name="vector"/> does not have <see cref="Dimensions"/> elements.</summary>
    /// <exception cref="ArgumentException">The size is wrong.</exception>
    public void CheckDimensions(ReadOnlyMemory<float> vector, string paramName, string what)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The {what} has the wrong size: expected {Dimensions} dimensions, got {vector.Length}.", paramName);
        }
    }

    /// <summary>Encodes a vector as the BLOB stored in the column: float32, little-endian.</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    /// <summary>Decodes a stored BLOB.</summary>
    public static float[] Decode(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();
}
