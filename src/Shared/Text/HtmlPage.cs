using System.Net;
using System.Text;

namespace AiEng.Shared;

/// <summary>
/// What AiEng's self-contained HTML reports share: the document's head with its title, and the base style of the page and
/// its tables, to which each report adds its own rules.
/// </summary>
internal static class HtmlPage
{
    /// <summary>The style of the body and of the tables: numbers right-aligned, the first column left-aligned.</summary>
    public const string BaseStyle =
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}"
        + "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}";

    /// <summary>The style of a row of charts, each in a light frame, as the usage and evaluation reports lay them out.</summary>
    public const string ChartsStyle = ".charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #ddd;padding:.5rem}";

    /// <summary>Appends the doctype, the head with the encoded <paramref name="title"/>, any raw <paramref name="headExtra"/> and the style, and opens the body.</summary>
    /// <param name="html">The page being written.</param>
    /// <param name="title">The page's title, as text.</param>
    /// <param name="style">The report's own rules, after <see cref="BaseStyle"/>.</param>
    /// <param name="headExtra">Raw HTML for the head before the style (a script), or <see langword="null"/>.</param>
    /// <returns><paramref name="html"/>.</returns>
    public static StringBuilder Begin(StringBuilder html, string title, string style, string? headExtra = null) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>")
            .Append(headExtra)
            .Append("<style>").Append(BaseStyle).Append(style).Append("</style></head><body>");
}
