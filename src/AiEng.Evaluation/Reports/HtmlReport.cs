using System.Globalization;
using System.Net;
using System.Text;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Renders a run as one self-contained HTML file: inline CSS, inline SVG histograms of each metric (drawn here, so the
/// page needs no network and no chart library), a per-case drill-down with input, output, reference, contexts and each
/// metric's reasoning and diagnostics, and, with a baseline, a comparison table and side-by-side outputs. The only script
/// filters cases and reports its own health in <c>#script-status</c> (errors go to <c>#script-errors</c>).
/// </summary>
internal static class HtmlReport
{
    private const int Bins = 10;

    public static string Render(EvaluationRun run, EvaluationRun? baseline, RunComparison? comparison)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        HtmlPage.Begin(
            html,
            "Evaluation: " + run.Name,
            HtmlPage.ChartsStyle + "details{border:1px solid #ddd;margin:.4rem 0;padding:.4rem}summary{cursor:pointer}"
                + "pre{white-space:pre-wrap;background:#f6f6f6;padding:.4rem;margin:.2rem 0}.bad{color:#b00}.good{color:#070}.side{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}#script-errors{color:#b00}",
            "<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));var n=document.getElementById('script-errors');if(n){n.textContent=window.__errors.join('\\n');}});</script>");
        html.Append("<h1>Evaluation: ").Append(E(run.Name)).Append("</h1>");
        html.Append(c, $"<p id=\"overview\">Data set <b>{E(run.Dataset)}</b>: {run.Cases.Count} cases, {run.Cases.Count(static x => x.Error is not null)} target failures. Started {run.StartedAt:u}.</p>");
        html.Append("<p>Scripts: <span id=\"script-status\">not run</span></p><pre id=\"script-errors\"></pre>");

        html.Append("<h2>Summary</h2><table id=\"summary\"><tr><th>Metric</th><th>Mean</th><th>Std dev</th><th>Min</th><th>Max</th><th>Cases</th><th>Missing</th></tr>");
        foreach (var s in run.Summary)
        {
            html.Append(c, $"<tr><td>{E(s.Name)}</td><td>{N(s.Mean)}</td><td>{N(s.StandardDeviation)}</td><td>{N(s.Min)}</td><td>{N(s.Max)}</td><td>{s.Count}</td><td>{s.Missing}</td></tr>");
        }

        html.Append("</table><h2>Distributions</h2><div class=\"charts\">");
        foreach (string metric in run.MetricNames)
        {
            html.Append("<div class=\"chart\">").Append(Histogram(metric, run.Cases.Select(x => x.GetValue(metric)).OfType<double>().ToArray())).Append("</div>");
        }

        html.Append("</div>");
        if (comparison is not null)
        {
            html.Append(c, $"<h2>Comparison with {E(comparison.BaselineName)}</h2><p>Paired bootstrap 95% confidence intervals; flagged where the interval excludes zero.</p>");
            html.Append("<table id=\"comparison\"><tr><th>Metric</th><th>Baseline</th><th>Current</th><th>Delta</th><th>95% CI</th><th>Pairs</th><th></th></tr>");
            foreach (var d in comparison.Deltas)
            {
                string flag = d.Significant ? (d.Delta > 0 ? "<span class=\"good\">better</span>" : "<span class=\"bad\">worse</span>") : string.Empty;
                html.Append(c, $"<tr><td>{E(d.Metric)}</td><td>{d.BaselineMean:0.0000}</td><td>{d.CurrentMean:0.0000}</td><td>{d.Delta:+0.0000;-0.0000;0.0000}</td><td>[{d.Lower:+0.0000;-0.0000;0.0000}, {d.Upper:+0.0000;-0.0000;0.0000}]</td><td>{d.PairedCases}</td><td>{flag}</td></tr>");
            }

            html.Append("</table>");
        }

        var baseById = baseline?.Cases.ToDictionary(static x => x.Id, StringComparer.Ordinal);
        html.Append("<h2>Cases</h2><p><input id=\"filter\" placeholder=\"Filter cases by text\" size=\"40\"> <span id=\"shown\"></span></p><div id=\"cases\">");
        foreach (var item in run.Cases)
        {
            html.Append("<details class=\"case\"><summary>").Append(E(item.Id)).Append(": ").Append(E(Truncate(item.Input, 100)));
            html.Append(item.Error is null ? string.Empty : " <span class=\"bad\">target failed</span>");
            html.Append(item.Error is null && EvaluationReports.CutShort(item.FinishReason) is not null ? " <span class=\"bad\">answer cut short (" + E(item.FinishReason!) + ")</span>" : string.Empty).Append("</summary>");
            html.Append("<h4>Input</h4><pre>").Append(E(item.Input)).Append("</pre>");
            if (baseById is not null && baseById.TryGetValue(item.Id, out var old))
            {
                html.Append("<div class=\"side\"><div><h4>Baseline output</h4><pre>").Append(E(old.Output ?? old.Error ?? string.Empty))
                    .Append("</pre></div><div><h4>Current output</h4><pre>").Append(E(item.Output ?? item.Error ?? string.Empty)).Append("</pre></div></div>");
            }
            else
            {
                html.Append("<h4>Output</h4><pre>").Append(E(item.Output ?? item.Error ?? string.Empty)).Append("</pre>");
            }

            if (item.Reference is not null)
            {
                html.Append("<h4>Reference</h4><pre>").Append(E(item.Reference)).Append("</pre>");
            }

            if (item.Contexts.Count > 0)
            {
                html.Append("<h4>Contexts</h4>");
                foreach (string context in item.Contexts)
                {
                    html.Append("<pre>").Append(E(context)).Append("</pre>");
                }
            }

            html.Append("<table><tr><th>Metric</th><th>Value</th><th>Reasoning and diagnostics</th></tr>");
            foreach (var m in item.Metrics)
            {
                string notes = string.Join("<br>", new[] { m.Reason is null ? null : E(m.Reason) }.Concat(m.Diagnostics.Select(d => $"<span class=\"bad\">{E(d.Severity)}: {E(d.Message)}</span>")).OfType<string>());
                html.Append(c, $"<tr><td>{E(m.Name)}</td><td>{N(m.Value)}</td><td style=\"text-align:left\">{notes}</td></tr>");
            }

            html.Append(c, $"</table><p>Latency {item.LatencyMs:0.#} ms; tokens {item.InputTokens?.ToString(c) ?? "n/a"} in, {item.OutputTokens?.ToString(c) ?? "n/a"} out.</p></details>");
        }

        html.Append("</div><script>(function(){var f=document.getElementById('filter'),cs=document.querySelectorAll('#cases .case'),s=document.getElementById('shown');")
            .Append("function u(){var q=f.value.toLowerCase(),n=0;cs.forEach(function(c){var v=c.textContent.toLowerCase().indexOf(q)>=0;c.style.display=v?'':'none';if(v)n++;});s.textContent=n+' of '+cs.length+' cases shown';}")
            .Append("f.addEventListener('input',u);u();document.getElementById('script-status').textContent=window.__errors.length?'errors':'ok';})();</script></body></html>");
        return html.ToString();
    }

    private static string Histogram(string metric, double[] values)
    {
        var c = CultureInfo.InvariantCulture;
        const int Width = 220, Height = 90, Top = 20;
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + Top + 16}\" role=\"img\" aria-label=\"Distribution of {E(metric)}\">");
        svg.Append(c, $"<text x=\"0\" y=\"12\" font-size=\"12\">{E(metric)} (n={values.Length})</text>");
        if (values.Length > 0)
        {
            double min = Math.Min(0, values.Min()), max = Math.Max(1, values.Max());
            var counts = new int[Bins];
            foreach (double v in values)
            {
                counts[Math.Clamp((int)((v - min) / (max - min) * Bins), 0, Bins - 1)]++;
            }

            int peak = counts.Max();
            double barWidth = (double)Width / Bins;
            for (int i = 0; i < Bins; i++)
            {
                double h = peak == 0 ? 0 : (double)counts[i] / peak * Height;
                svg.Append(c, $"<rect x=\"{i * barWidth:0.#}\" y=\"{Top + Height - h:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\" fill=\"#4a7bd0\"><title>{counts[i]} cases</title></rect>");
            }

            svg.Append(c, $"<text x=\"0\" y=\"{Height + Top + 14}\" font-size=\"10\">{min:0.##}</text><text x=\"{Width - 20}\" y=\"{Height + Top + 14}\" font-size=\"10\">{max:0.##}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "...");
}
