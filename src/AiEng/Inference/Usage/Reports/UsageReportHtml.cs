using System.Globalization;
using System.Net;
using System.Text;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Renders a <see cref="UsageReport"/> as one self-contained HTML page: inline CSS and SVG bar charts drawn here (no
/// script, no chart library, no network), then the tables of the Markdown report.
/// </summary>
internal static class UsageReportHtml
{
    private const string PaidColour = "#3b6fb6";
    private const string HitColour = "#5aa469";
    private const int ChartWidth = 560;
    private const int ChartHeight = 220;

    public static string Render(UsageReport report)
    {
        var c = CultureInfo.InvariantCulture;
        UsageReportRow t = report.Total;
        var html = new StringBuilder();
        HtmlPage.Begin(html, report.Title, HtmlPage.ChartsStyle + ".chart text{font-size:11px}");
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>");
        html.Append("<p id=\"period\">").Append(E(UsageReportMarkdown.Period(report))).Append("</p>");
        html.Append("<table id=\"summary\"><tr><th>Calls</th><th>Cache hits</th><th>Escalations</th><th>Input tokens</th><th>Output tokens</th><th>Cost</th><th>Est. savings</th><th>Unpriced calls</th></tr>");
        html.Append(c, $"<tr><td>{t.Calls:N0}</td><td>{t.CacheHits:N0} ({UsageReportMarkdown.Share(t.CacheHits, t.Calls)})</td><td>{t.Escalations:N0}</td><td>{t.InputTokens:N0}</td><td>{t.OutputTokens:N0}</td>")
            .Append(c, $"<td>{UsageReportMarkdown.Money(t.Cost)} {E(report.Currency)}</td><td>{UsageReportMarkdown.Money(t.EstimatedSavings)} {E(report.Currency)}</td><td>{t.UnpricedCalls:N0}</td></tr></table>");

        html.Append("<div class=\"charts\">");
        Chart(html, "chart-cost-by-day", $"Cost by day ({report.Currency})", report.ByDay, [("cost", PaidColour, static r => (double)r.Cost)]);
        Chart(html, "chart-calls-by-day", "Calls by day: paid and cache hits", report.ByDay,
            [("paid", PaidColour, static r => r.Calls - r.CacheHits), ("cache hits", HitColour, static r => r.CacheHits)]);
        Chart(html, "chart-cost-by-model", $"Cost by model ({report.Currency})", report.ByModel, [("cost", PaidColour, static r => (double)r.Cost)]);
        html.Append("</div>");

        Table(html, "by-model", "By model", "Model", report.ByModel);
        Table(html, "by-feature", "By feature", "Feature", report.ByFeature);
        Table(html, "by-tag", "By caller tag", "Tag", report.ByTag);
        Table(html, "by-day", "By day", "Day", report.ByDay);
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>A vertical bar chart, stacked when there are several series; each bar carries a tooltip with its values.</summary>
    private static void Chart(StringBuilder html, string id, string title, IReadOnlyList<UsageReportRow> rows, (string Name, string Colour, Func<UsageReportRow, double> Value)[] series)
    {
        var c = CultureInfo.InvariantCulture;
        const int left = 56, bottom = 40, top = 24;
        int plotHeight = ChartHeight - bottom - top;
        int plotWidth = ChartWidth - left - 10;
        double max = rows.Count == 0 ? 0 : rows.Max(r => series.Sum(s => s.Value(r)));
        double scale = max > 0 ? plotHeight / max : 0;
        html.Append(c, $"<div class=\"chart\"><svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(title)}\">");
        html.Append(c, $"<text x=\"{left}\" y=\"14\" font-weight=\"bold\">{E(title)}</text>");
        html.Append(c, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"#888\"/>");
        html.Append(c, $"<text x=\"{left - 4}\" y=\"{top + 4}\" text-anchor=\"end\">{Axis(max)}</text><text x=\"{left - 4}\" y=\"{top + plotHeight}\" text-anchor=\"end\">0</text>");
        if (rows.Count == 0)
        {
            html.Append(c, $"<text x=\"{left + 8}\" y=\"{top + (plotHeight / 2)}\">no calls</text>");
        }

        double slot = rows.Count == 0 ? 0 : (double)plotWidth / rows.Count;
        double barWidth = Math.Clamp(slot * 0.7, 1, 60);
        for (int i = 0; i < rows.Count; i++)
        {
            UsageReportRow row = rows[i];
            double x = left + (i * slot) + ((slot - barWidth) / 2);
            double y = top + plotHeight;
            foreach (var (name, colour, value) in series)
            {
                double height = value(row) * scale;
                y -= height;
                html.Append(c, $"<rect class=\"bar\" data-key=\"{E(row.Key)}\" data-series=\"{E(name)}\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{barWidth:0.##}\" height=\"{height:0.##}\" fill=\"{colour}\">")
                    .Append(c, $"<title>{E(row.Key)}: {Axis(value(row))} {E(name)}</title></rect>");
            }

            // Label every bar when they fit, else about ten of them.
            if (rows.Count <= 12 || i % (int)Math.Ceiling(rows.Count / 10.0) == 0)
            {
                html.Append(c, $"<text x=\"{x + (barWidth / 2):0.##}\" y=\"{top + plotHeight + 14}\" text-anchor=\"middle\">{E(Short(row.Key))}</text>");
            }
        }

        if (series.Length > 1)
        {
            for (int s = 0; s < series.Length; s++)
            {
                int lx = left + (s * 110);
                html.Append(c, $"<rect x=\"{lx}\" y=\"{ChartHeight - 14}\" width=\"10\" height=\"10\" fill=\"{series[s].Colour}\"/><text x=\"{lx + 14}\" y=\"{ChartHeight - 5}\">{E(series[s].Name)}</text>");
            }
        }

        html.Append("</svg></div>");
    }

    private static void Table(StringBuilder html, string id, string heading, string keyColumn, IReadOnlyList<UsageReportRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        html.Append("<h2>").Append(heading).Append("</h2>");
        html.Append(c, $"<table id=\"{id}\"><tr><th>{keyColumn}</th><th>Calls</th><th>Cache hits</th><th>Escalations</th><th>Input tokens</th><th>Output tokens</th><th>Cost</th><th>Est. savings</th><th>p50 ms</th><th>p95 ms</th></tr>");
        foreach (UsageReportRow r in rows)
        {
            html.Append(c, $"<tr><td>{E(r.Key)}</td><td>{r.Calls:N0}</td><td>{r.CacheHits:N0}</td><td>{r.Escalations:N0}</td><td>{r.InputTokens:N0}</td><td>{r.OutputTokens:N0}</td>")
                .Append(c, $"<td>{UsageReportMarkdown.Money(r.Cost)}</td><td>{UsageReportMarkdown.Money(r.EstimatedSavings)}</td><td>{UsageReportMarkdown.Milliseconds(r.LatencyP50)}</td><td>{UsageReportMarkdown.Milliseconds(r.LatencyP95)}</td></tr>");
        }

        html.Append("</table>");
    }

    private static string Axis(double value) => value.ToString(value >= 100 ? "0" : value >= 1 ? "0.##" : "0.####", CultureInfo.InvariantCulture);

    private static string Short(string key) => key.Length <= 14 ? key : key[..13] + "…";

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
