namespace AiEng.Inference;

/// <summary>What a <see cref="UsageReport"/> covers and how it groups days.</summary>
public sealed class UsageReportOptions
{
    /// <summary>Gets or sets the first instant included (inclusive), or <see langword="null"/> for every record given.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Gets or sets the instant the report ends (exclusive), or <see langword="null"/> for every record given.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Gets or sets the time zone whose calendar days the report groups by. Default: UTC.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Gets or sets the report's title, shown at the top of the Markdown and HTML. Default: <c>Usage report</c>.</summary>
    public string Title { get; set; } = "Usage report";

    /// <summary>Gets or sets the currency label of the costs (a label only; see <c>AiEng:Usage:Currency</c>). Default: <c>USD</c>.</summary>
    public string Currency { get; set; } = "USD";
}
