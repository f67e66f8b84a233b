using AiEng.Shared;

namespace AiEng.FineTuning;

/// <summary>A file uploaded to a provider for fine-tuning.</summary>
public sealed class FineTuningFile
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningFile"/> class.</summary>
    /// <param name="id">The provider's file id, for example <c>file-abc123</c>.</param>
    /// <param name="fileName">The file name the provider recorded.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="fileName"/> is <see langword="null"/>, empty or whitespace.</exception>
    public FineTuningFile(string id, string fileName)
    {
        Id = Throw.IfNullOrWhitespace(id);
        FileName = Throw.IfNullOrWhitespace(fileName);
    }

    /// <summary>Gets the provider's file id.</summary>
    public string Id { get; }

    /// <summary>Gets the file name the provider recorded.</summary>
    public string FileName { get; }

    /// <summary>Gets the size in bytes, if reported.</summary>
    public long? SizeInBytes { get; init; }

    /// <summary>Gets when the file was uploaded, if reported.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets the provider's own object (for example the OpenAI client's <c>OpenAIFile</c>), for what this type does not surface.</summary>
    public object? RawRepresentation { get; init; }

    /// <summary>Returns the id and file name.</summary>
    /// <returns>For example <c>file-abc123 (tickets.train.jsonl)</c>.</returns>
    public override string ToString() => $"{Id} ({FileName})";
}
