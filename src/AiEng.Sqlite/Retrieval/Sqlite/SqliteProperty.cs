using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>A key or data property of a record type and the column it is stored in, with the value conversions.</summary>
internal sealed class SqliteProperty : SqliteColumn
{
    private const int TicksDigits = 19;

    private SqliteProperty(RecordModelProperty property, SqliteValueKind kind, bool isNullable, bool isIndexed)
        : base(property)
    {
        Kind = kind;
        IsNullable = isNullable;
        IsIndexed = isIndexed;
    }

    /// <summary>Gets how values are stored.</summary>
    public SqliteValueKind Kind { get; }

    /// <summary>Gets a value indicating whether the property accepts null.</summary>
    public bool IsNullable { get; }

    /// <summary>Gets a value indicating whether the column gets an index.</summary>
    public bool IsIndexed { get; }

    /// <summary>Gets the SQLite column type.</summary>
    public string SqlType => Kind switch
    {
        SqliteValueKind.Int32 or SqliteValueKind.Int64 or SqliteValueKind.Boolean => "INTEGER",
        SqliteValueKind.Double or SqliteValueKind.Single => "REAL",
        _ => "TEXT",
    };

    /// <summary>Gets a value indicating whether values of the property can be ordered with &lt;, &lt;=, &gt; and &gt;=.</summary>
    public bool IsOrderable => Kind is SqliteValueKind.Int32 or SqliteValueKind.Int64 or SqliteValueKind.Double or SqliteValueKind.Single or SqliteValueKind.DateTimeOffset;

    /// <summary>Gets a value indicating whether the property is a list of strings.</summary>
    public bool IsStringCollection => Kind is SqliteValueKind.StringArray or SqliteValueKind.StringList;

    /// <summary>Gets the SQL expression that compares and sorts like the property's values.</summary>
    public string ComparableColumn => Kind == SqliteValueKind.DateTimeOffset
        ? $"substr({QuotedColumn}, 1, {TicksDigits})"
        : QuotedColumn;

    /// <summary>Creates the mapping of <paramref name="property"/>, or explains why its type is not supported.</summary>
    public static SqliteProperty Create(RecordModelProperty property, Type recordType)
    {
        var isKey = property.Role == RecordPropertyRole.Key;
        var type = property.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || !type.IsValueType;
        var kind = (underlying ?? type) switch
        {
            var t when t == typeof(string) => SqliteValueKind.String,
            var t when t == typeof(int) => SqliteValueKind.Int32,
            var t when t == typeof(long) => SqliteValueKind.Int64,
            var t when t == typeof(double) && !isKey => SqliteValueKind.Double,
            var t when t == typeof(float) && !isKey => SqliteValueKind.Single,
            var t when t == typeof(bool) && !isKey => SqliteValueKind.Boolean,
            var t when t == typeof(Guid) => SqliteValueKind.Guid,
            var t when t == typeof(DateTimeOffset) && !isKey => SqliteValueKind.DateTimeOffset,
            var t when t == typeof(string[]) && !isKey => SqliteValueKind.StringArray,
            var t when t == typeof(List<string>) && !isKey => SqliteValueKind.StringList,
            _ => (SqliteValueKind?)null,
        } ?? throw new NotSupportedException(isKey
            ? $"The key property '{property.Name}' of record type '{recordType.FullName}' has type '{type}', which the SQLite vector store does not support. Use string, Guid, int or long."
            : $"The data property '{property.Name}' of record type '{recordType.FullName}' has type '{type}', which the SQLite vector store does not support. Use string, int, long, double, float, bool, DateTimeOffset, Guid (or their nullable forms), string[] or List<string>.");

        if (isKey && underlying is not null)
        {
            throw new NotSupportedException($"The key property '{property.Name}' of record type '{recordType.FullName}' is nullable ('{type}'); keys must not be null.");
        }

        return new SqliteProperty(property, kind, nullable, isIndexed: isKey || property.IsIndexed);
    }

    /// <summary>Converts a property value to the value stored in the column.</summary>
    public object ToColumnValue(object? value) => value switch
    {
        null => DBNull.Value,
        _ => Kind switch
        {
            SqliteValueKind.String => (string)value,
            SqliteValueKind.Int32 or SqliteValueKind.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            SqliteValueKind.Double or SqliteValueKind.Single => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            SqliteValueKind.Boolean => (bool)value ? 1L : 0L,
            SqliteValueKind.Guid => ((Guid)value).ToString("D"),
            SqliteValueKind.DateTimeOffset => FormatDateTimeOffset((DateTimeOffset)value),
            SqliteValueKind.StringArray or SqliteValueKind.StringList => JsonSerializer.Serialize((IEnumerable<string?>)value, SqliteJsonContext.Default.IEnumerableString),
            _ => throw new InvalidOperationException($"Unexpected kind {Kind}."),
        },
    };

    /// <summary>Converts a filter constant to the value its column compares with (see <see cref="ComparableColumn"/>).</summary>
    public object ToComparableValue(object? value) => Kind == SqliteValueKind.DateTimeOffset && value is DateTimeOffset instant
        ? instant.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)
        : ToColumnValue(value);

    /// <summary>Reads the column at <paramref name="ordinal"/> as a property value.</summary>
    public object? Read(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return Kind switch
        {
            SqliteValueKind.String => reader.GetString(ordinal),
            SqliteValueKind.Int32 => reader.GetInt32(ordinal),
            SqliteValueKind.Int64 => reader.GetInt64(ordinal),
            SqliteValueKind.Double => reader.GetDouble(ordinal),
            SqliteValueKind.Single => (float)reader.GetDouble(ordinal),
            SqliteValueKind.Boolean => reader.GetInt64(ordinal) != 0,
            SqliteValueKind.Guid => Guid.Parse(reader.GetString(ordinal)),
            SqliteValueKind.DateTimeOffset => ParseDateTimeOffset(reader.GetString(ordinal)),
            SqliteValueKind.StringArray => JsonSerializer.Deserialize(reader.GetString(ordinal), SqliteJsonContext.Default.StringArray),
            SqliteValueKind.StringList => JsonSerializer.Deserialize(reader.GetString(ordinal), SqliteJsonContext.Default.ListString),
            _ => throw new InvalidOperationException($"Unexpected kind {Kind}."),
        };
    }

    /// <summary>Copies the column at <paramref name="ordinal"/> into the property of <paramref name="record"/>.</summary>
    public void ReadInto(object record, SqliteDataReader reader, int ordinal)
    {
        var value = Read(reader, ordinal);
        if (value is not null || IsNullable)
        {
            Property.SetValue(record, value);
        }
    }

    private static string FormatDateTimeOffset(DateTimeOffset value)
    {
        var minutes = (int)value.Offset.TotalMinutes;
        return string.Create(CultureInfo.InvariantCulture, $"{value.UtcTicks:D19}{(minutes < 0 ? '-' : '+')}{Math.Abs(minutes):D4}");
    }

    private static DateTimeOffset ParseDateTimeOffset(string text)
    {
        var ticks = long.Parse(text.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture);
        var minutes = int.Parse(text.AsSpan(TicksDigits + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (text[TicksDigits] == '-')
        {
            minutes = -minutes;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(minutes));
    }
}
