using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Sqlite.Tests;

/// <summary>A record with every supported data type and a 3-dimension cosine vector.</summary>
public sealed class Hotel
{
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true)]
    public string Name { get; set; } = string.Empty;

    [VectorStoreData]
    public int Rating { get; set; }

    [VectorStoreData]
    public long Visits { get; set; }

    [VectorStoreData]
    public double Price { get; set; }

    [VectorStoreData]
    public float Score { get; set; }

    [VectorStoreData]
    public bool Open { get; set; }

    [VectorStoreData]
    public Guid Owner { get; set; }

    [VectorStoreData]
    public DateTimeOffset Opened { get; set; }

    [VectorStoreData]
    public int? Floors { get; set; }

    [VectorStoreData(StorageName = "note_text")]
    public string? Note { get; set; }

    [VectorStoreData]
    public string[] Tags { get; set; } = [];

    [VectorStoreData]
    public List<string> Labels { get; set; } = [];

    [VectorStoreVector(3)]
    public ReadOnlyMemory<float> Vector { get; set; }

    public static Hotel Create(string key, float[] vector, int rating = 3, string[]? tags = null) => new()
    {
        Key = key,
        Name = "Hotel " + key,
        Rating = rating,
        Visits = 10_000_000_000L + rating,
        Price = 99.5 + rating,
        Score = 0.25f * rating,
        Open = rating % 2 == 0,
        Owner = new Guid(rating, 0, 0, new byte[8]),
        Opened = new DateTimeOffset(2024, 1, rating, 12, 0, 0, TimeSpan.FromHours(2)),
        Floors = rating == 1 ? null : rating * 2,
        Note = rating == 1 ? null : "note " + key,
        Tags = tags ?? ["t" + rating],
        Labels = ["l" + rating, "all"],
        Vector = vector,
    };
}

/// <summary>A record with a Guid key and a float[] vector compared by Euclidean distance.</summary>
public sealed class GuidRecord
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public float[]? Vector { get; set; }
}

/// <summary>A record with an int key and an Embedding&lt;float&gt; vector compared by dot product.</summary>
public sealed class IntRecord
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public Embedding<float>? Vector { get; set; }
}

/// <summary>A record with an unsupported data type.</summary>
public sealed class DecimalRecord
{
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    [VectorStoreData]
    public decimal Amount { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>A record with two vectors.</summary>
public sealed class TwoVectorRecord
{
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> First { get; set; }

    [VectorStoreVector(2)]
    public ReadOnlyMemory<float> Second { get; set; }
}

/// <summary>A record without a vector.</summary>
public sealed class NoVectorRecord
{
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    [VectorStoreData]
    public string Text { get; set; } = string.Empty;
}
