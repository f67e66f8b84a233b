namespace AiEng.Retrieval;

/// <summary>One condition of a <see cref="MetadataFilter"/>: the metadata key <see cref="Key"/> has one of <see cref="Values"/>.</summary>
public sealed class MetadataCondition
{
    internal MetadataCondition(string key, string[] values)
    {
        Key = key;
        Values = Array.AsReadOnly(values);
        Tags = [.. values.Select(value => ChunkRecord.CreateTag(key, value))];
    }

    /// <summary>Gets the metadata key, one of those declared filterable.</summary>
    public string Key { get; }

    /// <summary>Gets the accepted values: a chunk passes when its value of <see cref="Key"/> is one of them (none: no chunk passes).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Gets the filter tags (<see cref="ChunkRecord.CreateTag"/>) of the accepted values, one of which a chunk's <see cref="ChunkRecord.Tags"/> holds.</summary>
    internal string[] Tags { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        Values.Count == 1 ? $"{Key} = '{Values[0]}'" : $"{Key} in ({string.Join(", ", Values.Select(value => $"'{value}'"))})";
}
