using NpgsqlTypes;

namespace AiEng.Retrieval;

/// <summary>A key or data property of a record type and its PostgreSQL column, with the value conversions.</summary>
internal sealed class PostgresProperty
{
    private static readonly Dictionary<Type, (string SqlType, NpgsqlDbType DbType)> Types = new()
    {
        [typeof(string)] = ("text", NpgsqlDbType.Text),
        [typeof(int)] = ("integer", NpgsqlDbType.Integer),
        [typeof(long)] = ("bigint", NpgsqlDbType.Bigint),
        [typeof(double)] = ("double precision", NpgsqlDbType.Double),
        [typeof(float)] = ("real", NpgsqlDbType.Real),
        [typeof(bool)] = ("boolean", NpgsqlDbType.Boolean),
        [typeof(Guid)] = ("uuid", NpgsqlDbType.Uuid),
        [typeof(DateTimeOffset)] = ("timestamp with time zone", NpgsqlDbType.TimestampTz),
        [typeof(string[])] = ("text[]", NpgsqlDbType.Array | NpgsqlDbType.Text),
        [typeof(List<string>)] = ("text[]", NpgsqlDbType.Array | NpgsqlDbType.Text),
    };

    private static readonly HashSet<Type> KeyTypes = [typeof(string), typeof(int), typeof(long), typeof(Guid)];

    private PostgresProperty(RecordModelProperty property, Type valueType, bool isNullable)
    {
        Property = property;
        ValueType = valueType;
        IsNullable = isNullable;
        (SqlType, DbType) = Types[valueType];
        QuotedColumn = PostgresSql.Quote(ColumnName);
    }

    /// <summary>Gets the property of the shared record model (compiled accessors).</summary>
    public RecordModelProperty Property { get; }

    /// <summary>Gets the property name.</summary>
    public string Name => Property.Name;

    /// <summary>Gets the column name (the storage name, else the property name).</summary>
    public string ColumnName => Property.StorageName;

    /// <summary>Gets the column name quoted for SQL.</summary>
    public string QuotedColumn { get; }

    /// <summary>Gets the property type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType { get; }

    /// <summary>Gets a value indicating whether the property accepts null.</summary>
    public bool IsNullable { get; }

    /// <summary>Gets the column type, as <c>format_type</c> spells it.</summary>
    public string SqlType { get; }

    /// <summary>Gets the Npgsql type of the column's parameters.</summary>
    public NpgsqlDbType DbType { get; }

    /// <summary>Gets a value indicating whether the property is a list of strings (a <c>text[]</c> column).</summary>
    public bool IsStringCollection => ValueType == typeof(string[]) || ValueType == typeof(List<string>);

    /// <summary>Gets a value indicating whether values can be ordered with &lt;, &lt;=, &gt; and &gt;=.</summary>
    public bool IsOrderable => ValueType == typeof(int) || ValueType == typeof(long) || ValueType == typeof(double) || ValueType == typeof(float) || ValueType == typeof(DateTimeOffset);

    /// <summary>Gets a value indicating whether the column holds text that full-text search can index.</summary>
    public bool IsText => ValueType == typeof(string);

    /// <summary>Creates the mapping of <paramref name="property"/>, or explains why its type is not supported.</summary>
    /// <exception cref="NotSupportedException">The type is not supported.</exception>
    public static PostgresProperty Create(RecordModelProperty property, Type recordType)
    {
        var isKey = property.Role == RecordPropertyRole.Key;
        var underlying = Nullable.GetUnderlyingType(property.Type);
        var type = underlying ?? property.Type;
        if (isKey ? !KeyTypes.Contains(type) || underlying is not null : !Types.ContainsKey(type))
        {
            throw new NotSupportedException(isKey
                ? $"The key property '{property.Name}' of record type '{recordType.FullName}' has type '{property.Type}', which the PostgreSQL vector store does not support. Use string, Guid, int or long."
                : $"The data property '{property.Name}' of record type '{recordType.FullName}' has type '{property.Type}', which the PostgreSQL vector store does not support. Use string, int, long, double, float, bool, DateTimeOffset, Guid (or their nullable forms), string[] or List<string>.");
        }

        return new PostgresProperty(property, type, underlying is not null || !type.IsValueType);
    }

    /// <summary>Converts a property (or filter) value to the parameter value of the column.</summary>
    public object ToParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant => instant.ToUniversalTime(),
        List<string> list => list.ToArray(),
        _ when ValueType == typeof(long) || ValueType == typeof(int) || ValueType == typeof(double) || ValueType == typeof(float) => Convert.ChangeType(value, ValueType, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>Reads the column at <paramref name="ordinal"/> into the property of <paramref name="record"/>.</summary>
    public void ReadInto(object record, Npgsql.NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            if (IsNullable)
            {
                Property.SetValue(record, null);
            }

            return;
        }

        object value = ValueType switch
        {
            var t when t == typeof(string) => reader.GetString(ordinal),
            var t when t == typeof(int) => reader.GetInt32(ordinal),
            var t when t == typeof(long) => reader.GetInt64(ordinal),
            var t when t == typeof(double) => reader.GetDouble(ordinal),
            var t when t == typeof(float) => reader.GetFloat(ordinal),
            var t when t == typeof(bool) => reader.GetBoolean(ordinal),
            var t when t == typeof(Guid) => reader.GetGuid(ordinal),
            var t when t == typeof(DateTimeOffset) => reader.GetFieldValue<DateTimeOffset>(ordinal),
            var t when t == typeof(string[]) => reader.GetFieldValue<string[]>(ordinal),
            _ => new List<string>(reader.GetFieldValue<string[]>(ordinal)),
        };
        Property.SetValue(record, value);
    }
}
