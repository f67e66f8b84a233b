namespace AiEng.Evaluation;

/// <summary>How text is normalised before two strings are compared.</summary>
public sealed class TextNormalizationOptions
{
    /// <summary>Gets or sets a value indicating whether letter case is ignored. Default <see langword="true"/>.</summary>
    public bool IgnoreCase { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether leading and trailing white space is removed and runs of white space count as one space. Default <see langword="true"/>.</summary>
    public bool CollapseWhitespace { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether punctuation characters are removed. Default <see langword="false"/>.</summary>
    public bool RemovePunctuation { get; set; }

    /// <summary>Gets or sets a value indicating whether the English articles a, an and the are removed (as SQuAD's evaluation script does). Default <see langword="false"/>.</summary>
    public bool RemoveArticles { get; set; }

    /// <summary>Gets or sets a value indicating whether text is Unicode-normalised to form KC first. Default <see langword="true"/>.</summary>
    public bool UnicodeNormalize { get; set; } = true;

    internal TextNormalizationOptions Clone() => (TextNormalizationOptions)MemberwiseClone();
}
