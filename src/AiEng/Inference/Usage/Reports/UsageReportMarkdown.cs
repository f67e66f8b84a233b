using System.Globalization;
using System.Text;

namespace AiEng.Inference;

/// <summary>Renders a <see cref="UsageReport"/> as Markdown.</summary>
internal static class UsageReportMarkdown
{
    public static string Render(UsageReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append("# ").Append(Cell(report.Title)).Append("\n\n");
        md.Append(Period(report)).Append("\n\n");
        UsageReportRow t = report.Total;
        md.Append(c, $"- Calls: {t.Calls:N0}, of which cache hits: {t.CacheHits:N0} ({Share(t.CacheHits, t.Calls)})\n");
        if (t.Escalations > 0)
        {
            md.Append(c, $"- Escalations (calls a cascade made after rejecting an answer): {t.Escalations:N0}\n");
        }

        md.Append(c, $"- Tokens: {t.InputTokens:N0} input, {t.OutputTokens:N0} output\n");
        md.Append(c, $"- Cost: {Money(t.Cost)} {Cell(report.Currency)}; estimated savings of the cache hits: {Money(t.EstimatedSavings)} {Cell(report.Currency)}\n");
        if (t.UnpricedCalls > 0)
        {
            md.Append(c, $"- Unpriced calls (no price configured; not in the cost): {t.UnpricedCalls:N0}\n");
        }

        if (t.EstimatedCalls > 0)
        {
            md.Append(c, $"- Calls with estimated tokens: {t.EstimatedCalls:N0}\n");
        }

        Table(md, "By model", "Model", report.ByModel, report.Currency);
        Table(md, "By feature", "Feature", report.ByFeature, report.Currency);
        Table(md, "By caller tag", "Tag", report.ByTag, report.Currency);
        Table(md, "By day", "Day", report.ByDay, report.Currency);
        return md.ToString();
    }

    /// <summary>The period line shared by the Markdown and the HTML.</summary>
    internal static string Period(UsageReport report)
    {
        var c = CultureInfo.InvariantCulture;
        string from = report.Since?.ToString("u", c) ?? report.FirstCall?.ToString("u", c) ?? "-";
        string to = report.Until?.ToString("u", c) ?? report.LastCall?.ToString("u", c) ?? "-";
        return report.Total.Calls == 0
            ? string.Create(c, $"No calls recorded from {from} to {to}.")
            : string.Create(c, $"{report.Total.Calls:N0} calls from {from} to {to}; costs in {report.Currency}.");
    }

    internal static string Money(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string Share(long part, long whole) =>
        whole == 0 ? "0%" : ((double)part / whole).ToString("0.0%", CultureInfo.InvariantCulture);

    internal static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static void Table(StringBuilder md, string heading, string keyColumn, IReadOnlyList<UsageReportRow> rows, string currency)
    {
        var c = CultureInfo.InvariantCulture;
        md.Append("\n## ").Append(heading).Append("\n\n");
        if (rows.Count == 0)
        {
            md.Append("No calls.\n");
            return;
        }

        md.Append(c, $"| {keyColumn} | Calls | Cache hits | Escalations | Input tokens | Output tokens | Cost ({Cell(currency)}) | Est. savings | p50 ms | p95 ms |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (UsageReportRow r in rows)
        {
            md.Append(c, $"| {Cell(r.Key)} | {r.Calls:N0} | {r.CacheHits:N0} | {r.Escalations:N0} | {r.InputTokens:N0} | {r.OutputTokens:N0} | {Money(r.Cost)} | {Money(r.EstimatedSavings)} | {Milliseconds(r.LatencyP50)} | {Milliseconds(r.LatencyP95)} |\n");
        }
    }

    /// <summary>Keeps a value inside its table cell: pipes escaped, line breaks as spaces.</summary>
    private static string Cell(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
