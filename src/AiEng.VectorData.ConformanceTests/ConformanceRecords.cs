using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.VectorData.ConformanceTests;

/// <summary>A string-keyed record with one data property of every supported type and a 4-dimension cosine vector.</summary>
public sealed class ConformanceRecord
{
    /// <summary>Gets or sets the id.</summary>
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the category.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? Category { get; set; }

    /// <summary>Gets or sets the rank.</summary>
    [VectorStoreData(IsIndexed = true)]
    public int Rank { get; set; }

    /// <summary>Gets or sets the big.</summary>
    [VectorStoreData]
    public long Big { get; set; }

    /// <summary>Gets or sets the price.</summary>
    [VectorStoreData]
    public double Price { get; set; }

    /// <summary>Gets or sets the weight.</summary>
    [VectorStoreData]
    public float Weight { get; set; }

    /// <summary>Gets or sets the active.</summary>
    [VectorStoreData(IsIndexed = true)]
    public bool Active { get; set; }

    /// <summary>Gets or sets the created.</summary>
    [VectorStoreData]
    public DateTimeOffset Created { get; set; }

    /// <summary>Gets or sets the reference.</summary>
    [VectorStoreData]
    public Guid Reference { get; set; }

    /// <summary>Gets or sets the optional.</summary>
    [VectorStoreData]
    public int? Optional { get; set; }

    /// <summary>Gets or sets the tags.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string[] Tags { get; set; } = [];

    /// <summary>Gets or sets the labels.</summary>
    [VectorStoreData(IsIndexed = true)]
    public List<string> Labels { get; set; } = [];

    /// <summary>Gets or sets the vector.</summary>
    [VectorStoreVector(4)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>A Guid-keyed record with a 3-dimension dot-product vector held in an array.</summary>
public sealed class GuidRecord
{
    /// <summary>Gets or sets the id.</summary>
    [VectorStoreKey]
    public Guid Id { get; set; }

    /// <summary>Gets or sets the text.</summary>
    [VectorStoreData]
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets the vector.</summary>
    [VectorStoreVector(3, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public float[]? Vector { get; set; }
}

/// <summary>A string-keyed record with a 2-dimension Euclidean vector held in an <see cref="Embedding{T}"/>.</summary>
public sealed class EuclideanRecord
{
    /// <summary>Gets or sets the id.</summary>
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the vector.</summary>
    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public Embedding<float>? Vector { get; set; }
}

/// <summary>An invalid record: a data property of a type no store supports.</summary>
public sealed class UnsupportedDataRecord
{
    /// <summary>Gets or sets the id.</summary>
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the counts.</summary>
    [VectorStoreData]
    public Dictionary<string, int>? Counts { get; set; }

    /// <summary>Gets or sets the vector.</summary>
    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>A record with two vector properties, which AiEng stores may reject.</summary>
public sealed class TwoVectorRecord
{
    /// <summary>Gets or sets the id.</summary>
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the first.</summary>
    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> First { get; set; }

    /// <summary>Gets or sets the second.</summary>
    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Second { get; set; }
}
