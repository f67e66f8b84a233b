namespace AiEng.Retrieval;

/// <summary>How a key or data property is stored in its SQLite column.</summary>
internal enum SqliteValueKind
{
    /// <summary><see cref="string"/> as TEXT.</summary>
    String,

    /// <summary><see cref="int"/> as INTEGER.</summary>
    Int32,

    /// <summary><see cref="long"/> as INTEGER.</summary>
    Int64,

    /// <summary><see cref="double"/> as REAL.</summary>
    Double,

    /// <summary><see cref="float"/> as REAL (exact: every float is a double).</summary>
    Single,

    /// <summary><see cref="bool"/> as INTEGER 0 or 1.</summary>
    Boolean,

    /// <summary><see cref="System.Guid"/> as TEXT in the lower-case "D" format.</summary>
    Guid,

    /// <summary>
    /// <see cref="System.DateTimeOffset"/> as TEXT: 19 digits of UTC ticks, then the offset as a sign and 4 digits of
    /// minutes. The first 19 characters sort and compare by instant; the rest restores the offset.
    /// </summary>
    DateTimeOffset,

    /// <summary><c>string[]</c> as a JSON array in TEXT.</summary>
    StringArray,

    /// <summary><c>List&lt;string&gt;</c> as a JSON array in TEXT.</summary>
    StringList,
}
