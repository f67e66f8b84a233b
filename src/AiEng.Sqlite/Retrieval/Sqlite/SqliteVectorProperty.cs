using System.Runtime.InteropServices;

namespace AiEng.Retrieval;

/// <summary>
/// The vector property of a record type and its column: a float32 BLOB. Reading, writing, size checks and the metric come
/// from the shared store kernel (<see cref="RecordModel"/>, <see cref="VectorMetrics"/>).
/// </summary>
internal sealed class SqliteVectorProperty : SqliteColumn
{
    private readonly RecordModel _model;

    private SqliteVectorProperty(RecordModel model, VectorMetric metric)
        : base(model.Vector)
    {
        _model = model;
        Metric = metric;
    }

    /// <summary>Gets the number of dimensions every vector must have.</summary>
    public int Dimensions => _model.Dimensions;

    /// <summary>Gets the metric the collection ranks and scores by.</summary>
    public VectorMetric Metric { get; }

    /// <summary>Gets the distance function, as stored in the catalog (a <see cref="Microsoft.Extensions.VectorData.DistanceFunction"/> name).</summary>
    public string DistanceFunction => Metric.ToString();

    /// <summary>Creates the mapping of the vector property of <paramref name="model"/>, or explains why its distance function is not supported.</summary>
    /// <exception cref="NotSupportedException">The distance function is not supported.</exception>
    public static SqliteVectorProperty Create(RecordModel model) => new(model, VectorMetrics.Parse(model));

    /// <summary>Reads the vector of <paramref name="record"/> (empty when it has none).</summary>
    public ReadOnlyMemory<float> GetVector(object record) => _model.GetVector(record);

    /// <summary>Sets the vector of <paramref name="record"/> to a copy of <paramref name="vector"/>.</summary>
    public void SetVector(object record, ReadOnlySpan<float> vector) => _model.SetVector(record, vector);

    /// <summary>Throws when <paramref name="vector"/> does not have <see cref="Dimensions"/> elements or holds a NaN or an infinity.</summary>
    /// <exception cref="ArgumentException">The size is wrong or a value is not finite.</exception>
    public void Check(ReadOnlySpan<float> vector, string what, string paramName)
    {
        _model.CheckDimensions(vector.Length, what, paramName);
        VectorMetrics.CheckFinite(_model, vector, what, paramName);
    }

    /// <summary>Encodes a vector as the BLOB stored in the column: float32, little-endian.</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    /// <summary>Decodes a stored BLOB.</summary>
    public static ReadOnlySpan<float> Decode(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob);
}
