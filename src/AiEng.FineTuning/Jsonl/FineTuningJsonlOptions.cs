namespace AiEng.FineTuning;

/// <summary>Options for reading training data from JSON lines.</summary>
public sealed class FineTuningJsonlOptions
{
    /// <summary>The default of <see cref="MaxLineChars"/>: 8 Mi characters.</summary>
    public const int DefaultMaxLineChars = 8 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the most characters of one line that are read; a longer line is an error and is not parsed, so memory
    /// stays bounded. Default <see cref="DefaultMaxLineChars"/>.
    /// </summary>
    public int MaxLineChars { get; set; } = DefaultMaxLineChars;

    /// <summary>
    /// Gets or sets a value indicating whether every line is read and all problems are reported together in one
    /// <see cref="FineTuningDataException"/>, rather than stopping at the first. Default <see langword="false"/>.
    /// </summary>
    public bool CollectAllErrors { get; set; }
}
