using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorStoreConformance;

/// <summary>A string-keyed record with one data property of every supported type and a 4-dimension cosine vector.</summary>
public sealed class ConformanceRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true)]
    public string? Category { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Rank { get; set; }

    [VectorStoreData]
    public long Big { get; set; }

    [VectorStoreData]
    public double Price { get; set; }

    [VectorStoreData]
    public float Weight { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public bool Active { get; set; }

    [VectorStoreData]
    public DateTimeOffset Created { get; set; }

    [VectorStoreData]
    public Guid Reference { get; set; }

    [VectorStoreData]
    public int? Optional { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string[] Tags { get; set; } = [];

    [VectorStoreData(IsIndexed = true)]
    public List<string> Labels { get; set; } = [];

    [VectorStoreVector(4)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>A Guid-keyed record with a 3-dimension dot-product vector held in an array.</summary>
public sealed class GuidRecord
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public float[]? Vector { get; set; }
}

/// <summary>A string-keyed record with a 2-dimension Euclidean vector held in an <see cref="Embedding{T}"/>.</summary>
public sealed class EuclideanRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public Embedding<float>? Vector { get; set; }
}

/// <summary>An invalid record: a data property of a type no store supports.</summary>
public sealed class UnsupportedDataRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData]
    public Dictionary<string, int>? Counts { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>A record with two vector properties, which AiEng stores may reject.</summary>
public sealed class TwoVectorRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> First { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Second { get; set; }
}
