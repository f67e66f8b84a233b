using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Options of <see cref="JsonlDocumentLoader"/>: which JSON fields hold each record's id, text and title.</summary>
public sealed class JsonlDocumentLoaderOptions
{
    /// <summary>Gets or sets the name of the field with the record's id (a string or a number). Default: <c>id</c>.</summary>
    public string IdField { get; set; } = "id";

    /// <summary>Gets or sets the name of the field with the record's text. Default: <c>text</c>.</summary>
    public string TextField { get; set; } = "text";

    /// <summary>Gets or sets the name of the optional field with the record's title, or <see langword="null"/> for none. Default: <c>title</c>.</summary>
    public string? TitleField { get; set; } = "title";

    /// <summary>
    /// Gets or sets a value indicating whether the record's other top-level string, number and boolean fields become
    /// document metadata. Default: <see langword="true"/>.
    /// </summary>
    public bool IncludeOtherFieldsAsMetadata { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a malformed line (not a JSON object, no id, a text that is not a string) is
    /// skipped and reported, and the lines after it still read. Default: <see langword="false"/>: the first malformed line
    /// throws <see cref="DocumentLoadException"/> (and <see cref="DirectoryDocumentLoader"/> skips the rest of that file),
    /// which suits curated data sets, where a bad line means a broken export. Set it for data sets that are known to hold
    /// the odd bad record, such as logs: each bad line is then reported to the loader's <c>issues</c> as
    /// <see cref="DocumentLoadIssueKind.Malformed"/> with its line number (and record id when it has one).
    /// </summary>
    public bool SkipMalformedLines { get; set; }

    /// <summary>The default <see cref="MaxLineChars"/>: 16,777,216 characters (16 Mi).</summary>
    public const int DefaultMaxLineChars = 16 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the longest line, in characters, that is parsed. A longer line is read past without being held in
    /// memory and is malformed (see <see cref="SkipMalformedLines"/>), so one huge or endless line cannot exhaust memory.
    /// Default: <see cref="DefaultMaxLineChars"/>. At least 1.
    /// </summary>
    public int MaxLineChars { get; set; } = DefaultMaxLineChars;

    /// <summary>Creates options for a BEIR <c>corpus.jsonl</c>: fields <c>_id</c>, <c>text</c> and <c>title</c>.</summary>
    /// <returns>New options.</returns>
    public static JsonlDocumentLoaderOptions ForBeirCorpus() => new() { IdField = "_id", TextField = "text", TitleField = "title" };

    /// <summary>Checks the options and returns a copy, so that later changes by the caller have no effect.</summary>
    internal JsonlDocumentLoaderOptions ValidateAndClone()
    {
        Throw.IfNullOrWhitespace(IdField);
        Throw.IfNullOrWhitespace(TextField);
        if (MaxLineChars < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLineChars), MaxLineChars, $"{nameof(MaxLineChars)} must be at least 1 character, for example {DefaultMaxLineChars}.");
        }

        if (TitleField is not null)
        {
            Throw.IfNullOrWhitespace(TitleField);
        }

        return (JsonlDocumentLoaderOptions)MemberwiseClone();
    }
}
