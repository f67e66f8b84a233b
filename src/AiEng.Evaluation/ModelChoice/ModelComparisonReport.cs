using System.Globalization;
using System.Net;
using System.Text;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>Renders a <see cref="ModelComparison"/> as Markdown, or as HTML with an SVG chart of quality against cost.</summary>
internal static class ModelComparisonReport
{
    private const int Width = 620;
    private const int Height = 360;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 50;

    public static string Markdown(ModelComparison comparison)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Model comparison: {comparison.Metric}\n\n");
        md.Append(Verdict(comparison)).Append("\n\n");
        md.Append(c, $"| Model | {Cell(comparison.Metric)} | {Percent(comparison.Confidence)} interval | Difference from best | Cost / 1,000 requests | p50 ms | p95 ms | Failures | Pareto front |\n");
        md.Append("|---|---:|---|---|---:|---:|---:|---:|:---:|\n");
        foreach (ModelComparisonRow r in comparison.Rows)
        {
            md.Append(c, $"| {Cell(r.Model)}{Marks(comparison, r)} | {r.Quality:0.000} | [{r.QualityLower:0.000}, {r.QualityUpper:0.000}] | {Difference(comparison, r)} | {Cost(r)} | {r.LatencyP50Ms:0} | {r.LatencyP95Ms:0} | {r.Failures} of {r.Cases} | {(r.IsParetoOptimal ? "yes" : string.Empty)} |\n");
        }

        md.Append("\n* best quality; † recommended: the cheapest model not significantly below the best.\n");
        return md.ToString();
    }

    public static string Html(ModelComparison comparison)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        HtmlPage.Begin(html, "Model comparison: " + comparison.Metric, ".pareto{font-weight:bold}.below{color:#b00}svg text{font-size:11px}");
        html.Append("<h1>Model comparison: ").Append(E(comparison.Metric)).Append("</h1>");
        html.Append("<p id=\"verdict\">").Append(E(Verdict(comparison))).Append("</p>");
        Chart(html, comparison);
        html.Append(c, $"<table id=\"models\"><tr><th>Model</th><th>{E(comparison.Metric)}</th><th>{Percent(comparison.Confidence)} interval</th><th>Difference from best</th><th>Cost / 1,000 requests</th><th>p50 ms</th><th>p95 ms</th><th>Failures</th><th>Pareto front</th></tr>");
        foreach (ModelComparisonRow r in comparison.Rows)
        {
            string css = r.IsSignificantlyBelowBest ? " class=\"below\"" : r.IsParetoOptimal ? " class=\"pareto\"" : string.Empty;
            html.Append(c, $"<tr{css}><td>{E(r.Model)}{E(Marks(comparison, r))}</td><td>{r.Quality:0.000}</td><td>[{r.QualityLower:0.000}, {r.QualityUpper:0.000}]</td><td>{E(Difference(comparison, r))}</td>")
                .Append(c, $"<td>{E(Cost(r))}</td><td>{r.LatencyP50Ms:0}</td><td>{r.LatencyP95Ms:0}</td><td>{r.Failures} of {r.Cases}</td><td>{(r.IsParetoOptimal ? "yes" : string.Empty)}</td></tr>");
        }

        html.Append("</table><p>* best quality; † recommended: the cheapest model not significantly below the best. Bold: on the quality/cost Pareto front; red: significantly below the best.</p></body></html>");
        return html.ToString();
    }

    /// <summary>Quality (with its interval as a vertical bar) against cost per 1,000 requests; the Pareto front joined by a line.</summary>
    private static void Chart(StringBuilder html, ModelComparison comparison)
    {
        var c = CultureInfo.InvariantCulture;
        ModelComparisonRow[] priced = [.. comparison.Rows.Where(static r => r.CostPer1000 is not null)];
        html.Append(c, $"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"Quality against cost\">");
        html.Append(c, $"<text x=\"{Left}\" y=\"16\" font-weight=\"bold\">{E(comparison.Metric)} against cost per 1,000 requests</text>");
        int plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        html.Append(c, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/>");
        if (priced.Length == 0)
        {
            html.Append(c, $"<text x=\"{Left + 10}\" y=\"{Top + 20}\">cost was not measured: pass the usage ledger in ModelComparisonOptions.UsageLedger</text></svg>");
            return;
        }

        double maxCost = (double)priced.Max(static r => r.CostPer1000!.Value) * 1.1;
        maxCost = maxCost > 0 ? maxCost : 1;
        double minQuality = Math.Min(0, priced.Min(static r => r.QualityLower));
        double maxQuality = Math.Max(1, priced.Max(static r => r.QualityUpper));
        double X(decimal cost) => Left + ((double)cost / maxCost * plotWidth);
        double Y(double quality) => Top + plotHeight - ((quality - minQuality) / (maxQuality - minQuality) * plotHeight);

        html.Append(c, $"<text x=\"{Left - 6}\" y=\"{Y(maxQuality) + 4:0.#}\" text-anchor=\"end\">{maxQuality:0.##}</text><text x=\"{Left - 6}\" y=\"{Y(minQuality):0.#}\" text-anchor=\"end\">{minQuality:0.##}</text>");
        html.Append(c, $"<text x=\"{Left}\" y=\"{Top + plotHeight + 16}\">0</text><text x=\"{Left + plotWidth}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"end\">{maxCost:0.####}</text>");
        html.Append(c, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">cost per 1,000 requests</text>");

        ModelComparisonRow[] front = [.. priced.Where(static r => r.IsParetoOptimal).OrderBy(static r => r.CostPer1000)];
        if (front.Length > 1)
        {
            html.Append("<polyline id=\"pareto-front\" fill=\"none\" stroke=\"#5aa469\" stroke-dasharray=\"4 3\" points=\"")
                .AppendJoin(' ', front.Select(r => string.Create(c, $"{X(r.CostPer1000!.Value):0.##},{Y(r.Quality):0.##}")))
                .Append("\"/>");
        }

        foreach (ModelComparisonRow r in priced)
        {
            double x = X(r.CostPer1000!.Value);
            string colour = r.IsSignificantlyBelowBest ? "#b00" : r.IsParetoOptimal ? "#2e7d32" : "#3b6fb6";
            html.Append(c, $"<g class=\"model\" data-model=\"{E(r.Model)}\" data-pareto=\"{(r.IsParetoOptimal ? "yes" : "no")}\">")
                .Append(c, $"<line x1=\"{x:0.##}\" y1=\"{Y(r.QualityLower):0.##}\" x2=\"{x:0.##}\" y2=\"{Y(r.QualityUpper):0.##}\" stroke=\"{colour}\"/>")
                .Append(c, $"<circle cx=\"{x:0.##}\" cy=\"{Y(r.Quality):0.##}\" r=\"5\" fill=\"{(r.IsParetoOptimal ? colour : "white")}\" stroke=\"{colour}\"><title>{E(r.Model)}: {r.Quality:0.000} [{r.QualityLower:0.000}, {r.QualityUpper:0.000}], {Cost(r)}</title></circle>")
                .Append(c, $"<text x=\"{x + 8:0.##}\" y=\"{Y(r.Quality) - 6:0.##}\">{E(r.Model)}</text></g>");
        }

        html.Append("</svg>");
    }

    private static string Verdict(ModelComparison comparison)
    {
        if (comparison.Best is not { } best || comparison.Recommended is not { } recommended)
        {
            return "No models were compared.";
        }

        string confidence = Percent(comparison.Confidence);
        return ReferenceEquals(best, recommended)
            ? string.Create(CultureInfo.InvariantCulture, $"Recommended: {best.Model}, the best ({comparison.Metric} {best.Quality:0.000}); every cheaper model is significantly worse at {confidence} confidence, or cost was not measured.")
            : string.Create(CultureInfo.InvariantCulture, $"Recommended: {recommended.Model} ({comparison.Metric} {recommended.Quality:0.000}, {Cost(recommended)} per 1,000 requests), the cheapest model not significantly below the best, {best.Model} ({best.Quality:0.000}, {Cost(best)}), at {confidence} confidence.");
    }

    private static string Marks(ModelComparison comparison, ModelComparisonRow row) =>
        (ReferenceEquals(row, comparison.Best) ? " *" : string.Empty) + (ReferenceEquals(row, comparison.Recommended) ? " †" : string.Empty);

    private static string Difference(ModelComparison comparison, ModelComparisonRow row) =>
        ReferenceEquals(row, comparison.Best) ? "best"
        : string.Create(CultureInfo.InvariantCulture, $"{row.DeltaToBest:+0.000;-0.000;0.000} [{row.DeltaLower:+0.000;-0.000;0.000}, {row.DeltaUpper:+0.000;-0.000;0.000}]{(row.IsSignificantlyBelowBest ? " worse" : string.Empty)}");

    private static string Cost(ModelComparisonRow row) => row.CostPer1000?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "not measured";

    private static string Percent(double confidence) => confidence.ToString("0.#%", CultureInfo.InvariantCulture);

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
