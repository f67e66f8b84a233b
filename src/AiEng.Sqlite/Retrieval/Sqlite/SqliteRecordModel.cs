using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

/// <summary>
/// How a record type maps to a collection table: the key column, one column per data property and the vector as a float32
/// BLOB. The mapping itself (attributes or definition, accessors, record creation) is the shared store kernel's
/// <see cref="RecordModel"/>; this class adds the SQLite column kinds and checks.
/// </summary>
internal sealed class SqliteRecordModel
{
    private readonly Dictionary<string, SqliteProperty> _byName;

    private SqliteRecordModel(RecordModel model, SqliteProperty key, IReadOnlyList<SqliteProperty> data, SqliteVectorProperty vector)
    {
        Model = model;
        Key = key;
        Data = data;
        Vector = vector;
        _byName = new Dictionary<string, SqliteProperty>(StringComparer.Ordinal) { [key.Name] = key };
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
    public SqliteProperty Key { get; }

    /// <summary>Gets the data properties.</summary>
    public IReadOnlyList<SqliteProperty> Data { get; }

    /// <summary>Gets the vector property.</summary>
    public SqliteVectorProperty Vector { get; }

    /// <summary>Builds the model of <paramref name="recordType"/> with keys of <paramref name="keyType"/>.</summary>
    /// <exception cref="NotSupportedException">A property type, a distance function, a second vector or the key type is not supported.</exception>
    /// <exception cref="InvalidOperationException">The model has no key or no vector, or names a property the type lacks.</exception>
    public static SqliteRecordModel Build(Type keyType, Type recordType, VectorStoreCollectionDefinition? definition)
    {
        var model = RecordModelBuilder.Build(recordType, definition);
        RecordModelBuilder.CheckKeyType(model, keyType);
        var key = SqliteProperty.Create(model.Key, recordType);
        var data = model.DataProperties.Select(p => SqliteProperty.Create(p, recordType)).ToList();
        var vector = SqliteVectorProperty.Create(model);

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in data.Select(d => d.ColumnName).Prepend(key.ColumnName).Append(vector.ColumnName))
        {
            if (!columns.Add(column))
            {
                throw new NotSupportedException($"Two properties of record type '{recordType.FullName}' are stored in the column '{column}' (SQLite column names ignore case); give one a different storage name.");
            }
        }

        return new SqliteRecordModel(model, key, data, vector);
    }

    /// <summary>Finds the key or data property called <paramref name="name"/>.</summary>
    public SqliteProperty? FindProperty(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Creates an empty record.</summary>
    public object CreateRecord() => Model.CreateRecord();
}
