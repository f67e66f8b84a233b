using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// How a record type maps to a collection table: the key column, one column per data property and a <c>vector</c> or
/// <c>halfvec</c> column. The mapping itself (attributes or definition, accessors, record creation) is the shared store
/// kernel's <see cref="RecordModel"/>; this class adds the PostgreSQL columns and checks.
/// </summary>
internal sealed class PostgresRecordModel
{
    private readonly Dictionary<string, PostgresProperty> _byName;

    private PostgresRecordModel(RecordModel model, PostgresProperty key, IReadOnlyList<PostgresProperty> data, VectorMetric metric, PostgresIndexKind indexKind)
    {
        Model = model;
        Key = key;
        Data = data;
        Metric = metric;
        IndexKind = indexKind;
        VectorColumn = PostgresSql.Quote(model.Vector.StorageName);
        TextColumns = [.. data.Where(d => d.Property.IsFullTextIndexed && d.IsText)];
        _byName = new Dictionary<string, PostgresProperty>(StringComparer.Ordinal) { [key.Name] = key };
        foreach (var property in data)
        {
            _byName[property.Name] = property;
        }
    }

    /// <summary>Gets the shared record model.</summary>
    public RecordModel Model { get; }

    /// <summary>Gets the record type.</summary>
    public Type RecordType => Model.RecordType;

    /// <summary>Gets the key property.</summary>
    public PostgresProperty Key { get; }

    /// <summary>Gets the data properties.</summary>
    public IReadOnlyList<PostgresProperty> Data { get; }

    /// <summary>Gets the full-text-indexed string properties, in declaration order.</summary>
    public IReadOnlyList<PostgresProperty> TextColumns { get; }

    /// <summary>Gets the metric the collection ranks and scores by.</summary>
    public VectorMetric Metric { get; }

    /// <summary>Gets the vector index the collection gets.</summary>
    public PostgresIndexKind IndexKind { get; }

    /// <summary>Gets the vector column name.</summary>
    public string VectorColumnName => Model.Vector.StorageName;

    /// <summary>Gets the vector column quoted for SQL.</summary>
    public string VectorColumn { get; }

    /// <summary>Gets the vector dimensions.</summary>
    public int Dimensions => Model.Dimensions;

    /// <summary>Builds the model of <paramref name="recordType"/> with keys of <paramref name="keyType"/>.</summary>
    /// <exception cref="NotSupportedException">A property type, a distance function, an index kind, a second vector or the key type is not supported.</exception>
    /// <exception cref="InvalidOperationException">The model has no key or no vector, or names a property the type lacks.</exception>
    public static PostgresRecordModel Build(Type keyType, Type recordType, VectorStoreCollectionDefinition? definition, PostgresVectorStoreOptions options)
    {
        var model = RecordModelBuilder.Build(recordType, definition);
        RecordModelBuilder.CheckKeyType(model, keyType);
        var key = PostgresProperty.Create(model.Key, recordType);
        var data = model.DataProperties.Select(p => PostgresProperty.Create(p, recordType)).ToList();
        var metric = VectorMetrics.Parse(model);
        var indexKind = model.Vector.IndexKind switch
        {
            null => options.IndexKind,
            Microsoft.Extensions.VectorData.IndexKind.Flat => PostgresIndexKind.Flat,
            Microsoft.Extensions.VectorData.IndexKind.Hnsw => PostgresIndexKind.Hnsw,
            Microsoft.Extensions.VectorData.IndexKind.IvfFlat => PostgresIndexKind.IvfFlat,
            var other => throw new NotSupportedException(
                $"Record type '{recordType.Name}': vector property '{model.Vector.Name}' asks for the index kind '{other}', which the PostgreSQL vector store does not support (use Flat, Hnsw or IvfFlat)."),
        };

        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in data.Select(d => d.ColumnName).Prepend(key.ColumnName).Append(model.Vector.StorageName))
        {
            _ = PostgresSql.CheckIdentifier(column, $"column name of record type '{recordType.Name}'", nameof(recordType));
            if (!columns.Add(column) || column == PostgresCollectionSchema.SearchColumn)
            {
                throw new NotSupportedException($"Two properties of record type '{recordType.FullName}' are stored in the column '{column}' (or it is the store's own '{PostgresCollectionSchema.SearchColumn}' column); give one a different storage name.");
            }
        }

        return new PostgresRecordModel(model, key, data, metric, indexKind);
    }

    /// <summary>Finds the key or data property called <paramref name="name"/>.</summary>
    public PostgresProperty? FindProperty(string name) => _byName.GetValueOrDefault(name);
}
