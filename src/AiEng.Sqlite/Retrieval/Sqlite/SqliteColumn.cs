using System.Reflection;

namespace AiEng.Retrieval;

/// <summary>A record property and the column it is stored in.</summary>
internal abstract class SqliteColumn
{
    protected SqliteColumn(PropertyInfo property, string? storageName)
    {
        Property = property;
        ColumnName = string.IsNullOrWhiteSpace(storageName) ? property.Name : storageName;
    }

    /// <summary>Gets the property name.</summary>
    public string Name => Property.Name;

    /// <summary>Gets the CLR property.</summary>
    public PropertyInfo Property { get; }

    /// <summary>Gets the column name (the storage name, or else the property name).</summary>
    public string ColumnName { get; }

    /// <summary>Gets the column name quoted for SQL.</summary>
    public string QuotedColumn => SqliteSql.Quote(ColumnName);
}
