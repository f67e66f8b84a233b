namespace AiEng.Retrieval;

/// <summary>A property of the shared <see cref="RecordModel"/> and the column it is stored in.</summary>
internal abstract class SqliteColumn
{
    protected SqliteColumn(RecordModelProperty property)
    {
        Property = property;
        ColumnName = property.StorageName;
    }

    /// <summary>Gets the property name.</summary>
    public string Name => Property.Name;

    /// <summary>Gets the property of the shared record model (compiled accessors).</summary>
    public RecordModelProperty Property { get; }

    /// <summary>Gets the column name (the storage name, or else the property name).</summary>
    public string ColumnName { get; }

    /// <summary>Gets the column name quoted for SQL.</summary>
    public string QuotedColumn => SqliteSql.Quote(ColumnName);
}
