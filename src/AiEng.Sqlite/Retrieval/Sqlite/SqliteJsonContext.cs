using System.Text.Json.Serialization;

namespace AiEng.Retrieval;

/// <summary>Source-generated JSON for string-list columns (no reflection serializer needed).</summary>
[JsonSerializable(typeof(IEnumerable<string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext
{
}
