namespace AiEng.Retrieval;

/// <summary>
/// One numbered source in a packed context (<see cref="PackedContext"/>) and in a grounded answer
/// (<see cref="CitationExtensions.GetCitations(Microsoft.Extensions.AI.ChatResponse)"/>): where the text cited as
/// <c>[Number]</c> comes from.
/// </summary>
/// <remarks>Plain settable properties, so citations survive a JSON round trip (for example through a response cache).</remarks>
public sealed class Citation
{
    /// <summary>Gets or sets the citation number, from 1, as the context shows it: <c>[Number]</c>.</summary>
    public int Number { get; set; }

    /// <summary>Gets or sets the id of the cited document.</summary>
    public string DocumentId { get; set; } = string.Empty;

    /// <summary>Gets or sets the document title, if it has one.</summary>
    public string? Title { get; set; }

    /// <summary>Gets or sets where the document came from (a path or URL), if known.</summary>
    public string? Source { get; set; }

    /// <summary>Gets or sets the offset in the document text, in UTF-16 code units, where the cited text starts.</summary>
    public int StartOffset { get; set; }

    /// <summary>Gets or sets the offset in the document text just past the cited text.</summary>
    public int EndOffset { get; set; }

    /// <summary>Gets or sets the heading path where the cited text starts (<c>Guide &gt; Install</c>), or <see langword="null"/>.</summary>
    public string? HeadingPath { get; set; }

    /// <summary>Gets or sets the one-based page the cited text starts on, for paged sources such as PDF.</summary>
    public int? Page { get; set; }

    /// <summary>Gets or sets the retrieval score of the most relevant chunk behind this source.</summary>
    public double Score { get; set; }

    /// <summary>Gets or sets the keys of the chunks behind this source (several when overlapping chunks were merged).</summary>
    public IReadOnlyList<Guid> ChunkKeys { get; set; } = [];

    /// <summary>Gets or sets the text given to the model for this source (heading prefix included).</summary>
    public string Text { get; set; } = string.Empty;
}
