using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// Writes a run as reports: complete JSON (<c>report.json</c>, readable back with <see cref="EvaluationRun.LoadAsync"/>),
/// a Markdown summary (<c>summary.md</c>), JUnit XML for CI test tabs (<c>junit.xml</c>) and one self-contained HTML file
/// (<c>report.html</c>).
/// </summary>
public static class EvaluationReports
{
    /// <summary>Checks that <paramref name="directory"/> can be written by creating it and a probe file; call it before a run so an unwritable report directory fails before any model call.</summary>
    /// <param name="directory">The report directory.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be written.</exception>
    public static void EnsureWritable(string directory)
    {
        Throw.IfNullOrWhitespace(directory);
        Directory.CreateDirectory(directory);
        string probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
        File.WriteAllText(probe, string.Empty);
        File.Delete(probe);
    }

    /// <summary>Writes every report format into <paramref name="directory"/>, each file whole or not at all.</summary>
    /// <param name="run">The run.</param>
    /// <param name="directory">The report directory; created when missing.</param>
    /// <param name="baseline">A baseline run to compare with, or <see langword="null"/>.</param>
    /// <param name="gate">A gate result to include in JUnit XML, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when all files are written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public static async Task WriteAllAsync(EvaluationRun run, string directory, EvaluationRun? baseline = null, GateResult? gate = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(run);
        Throw.IfNullOrWhitespace(directory);
        Directory.CreateDirectory(directory);
        var comparison = baseline is null ? null : RunComparison.Compare(baseline, run);
        await WriteJsonAsync(run, Path.Combine(directory, "report.json"), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "summary.md"), ToMarkdown(run, comparison), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "junit.xml"), ToJUnitXml(run, gate), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "report.html"), HtmlReport.Render(run, baseline, comparison), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the complete run as JSON, whole or not at all (beside the file first, then moved into place).</summary>
    /// <param name="run">The run.</param>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static async Task WriteJsonAsync(EvaluationRun run, string path, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(run);
        Throw.IfNullOrWhitespace(path);
        await AtomicFile.WriteAsync(
            path,
            async (temporary, token) =>
            {
                await using var stream = File.Create(temporary);
                await JsonSerializer.SerializeAsync(stream, run, EvaluationRun.Json, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders the complete run as JSON, as <see cref="WriteJsonAsync"/> writes it (<see cref="EvaluationRun.LoadAsync"/> reads it back).</summary>
    /// <param name="run">The run.</param>
    /// <returns>The JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static string ToJson(EvaluationRun run)
    {
        Throw.IfNull(run);
        return JsonSerializer.Serialize(run, EvaluationRun.Json);
    }

    /// <summary>
    /// Renders the self-contained HTML report <see cref="WriteAllAsync"/> writes as <c>report.html</c>: summary,
    /// histograms, per-case drill-down and, with a baseline, the comparison and side-by-side outputs.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="baseline">A baseline run to compare with, or <see langword="null"/>.</param>
    /// <returns>The HTML page.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static string ToHtml(EvaluationRun run, EvaluationRun? baseline = null)
    {
        Throw.IfNull(run);
        return HtmlReport.Render(run, baseline, baseline is null ? null : RunComparison.Compare(baseline, run));
    }

    /// <summary>Renders the Markdown summary: a metric table, the comparison with a baseline when given, and the cases with errors.</summary>
    /// <param name="run">The run.</param>
    /// <param name="comparison">A comparison with a baseline, or <see langword="null"/>.</param>
    /// <returns>The Markdown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static string ToMarkdown(EvaluationRun run, RunComparison? comparison = null)
    {
        Throw.IfNull(run);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"# Evaluation: {run.Name}\n\nData set `{run.Dataset}`, {run.Cases.Count} cases, {run.Cases.Count(static x => x.Error is not null)} target failures.\n\n");
        text.Append("| Metric | Mean | Std dev | Min | Max | Cases | Missing |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var s in run.Summary)
        {
            text.Append(c, $"| {Cell(s.Name)} | {Number(s.Mean)} | {Number(s.StandardDeviation)} | {Number(s.Min)} | {Number(s.Max)} | {s.Count} | {s.Missing} |\n");
        }

        var latencies = run.Cases.Where(static x => x.Error is null).Select(static x => x.LatencyMs).Order().ToArray();
        if (latencies.Length > 0)
        {
            long input = run.Cases.Sum(static x => x.InputTokens ?? 0), output = run.Cases.Sum(static x => x.OutputTokens ?? 0);
            text.Append(c, $"\nTarget latency: median {latencies[latencies.Length / 2]:0.#} ms, p95 {latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(latencies.Length * 0.95) - 1)]:0.#} ms. Tokens: {input} in, {output} out.");
            if (run.Cases.Any(static x => x.Cost is not null))
            {
                text.Append(c, $" Model calls (target and judges): {run.Cases.Sum(static x => x.ModelCalls ?? 0)}, cost {run.Cases.Sum(static x => x.Cost ?? 0):0.######}.");
            }

            text.Append('\n');
        }

        if (comparison is not null)
        {
            text.Append(c, $"\n## Compared with `{comparison.BaselineName}`\n\nPaired bootstrap 95% confidence intervals; **flagged** where the interval excludes zero.\n\n");
            text.Append("| Metric | Baseline | Current | Delta | 95% CI | Pairs | |\n|---|---:|---:|---:|---|---:|---|\n");
            foreach (var d in comparison.Deltas)
            {
                text.Append(c, $"| {Cell(d.Metric)} | {d.BaselineMean:0.0000} | {d.CurrentMean:0.0000} | {d.Delta:+0.0000;-0.0000;0.0000} | [{d.Lower:+0.0000;-0.0000;0.0000}, {d.Upper:+0.0000;-0.0000;0.0000}] | {d.PairedCases} | {(d.Significant ? (d.Delta > 0 ? "**flagged: better**" : "**flagged: worse**") : string.Empty)} |\n");
            }
        }

        // Answers the model did not finish: scored as they are, but a low score may be the token limit's, not the model's.
        var cut = run.Cases.Where(static x => x.Error is null && CutShort(x.FinishReason) is not null).ToArray();
        if (cut.Length > 0)
        {
            text.Append(c, $"\n## Answers cut short\n\n{cut.Length} answers did not finish; they are scored as they are.\n\n");
            foreach (var item in cut.Take(20))
            {
                text.Append(c, $"- `{item.Id}`: {CutShort(item.FinishReason)}\n");
            }

            if (cut.Length > 20)
            {
                text.Append(c, $"- and {cut.Length - 20} more\n");
            }
        }

        var problems = run.Cases.Where(static x => x.Error is not null || x.Metrics.Any(static m => m.Value is null)).Take(20).ToArray();
        if (problems.Length > 0)
        {
            text.Append("\n## Cases with errors or missing metrics\n\n");
            foreach (var item in problems)
            {
                string detail = item.Error ?? string.Join("; ", item.Metrics.Where(static m => m.Value is null).Select(static m => $"{m.Name}: {m.Diagnostics.FirstOrDefault()?.Message}"));
                text.Append(c, $"- `{item.Id}`: {Cell(detail)}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Renders JUnit XML: one test case per evaluation case (failed when the target threw, a metric has an error diagnostic or
    /// its interpretation failed; the metric values are in <c>system-out</c>), plus one test case per gate check when given.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="gate">A gate result, or <see langword="null"/>.</param>
    /// <returns>The XML.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    public static string ToJUnitXml(EvaluationRun run, GateResult? gate = null)
    {
        Throw.IfNull(run);
        var c = CultureInfo.InvariantCulture;
        var builder = new StringBuilder();
        using (var xml = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            var failures = run.Cases.Select(Failure).ToArray();
            int gateFailures = gate?.Failures.Count() ?? 0;
            xml.WriteStartElement("testsuites");
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", $"{run.Name} ({run.Dataset})");
            xml.WriteAttributeString("tests", (run.Cases.Count + (gate?.Checks.Count ?? 0)).ToString(c));
            xml.WriteAttributeString("failures", (failures.Count(static f => f is not null) + gateFailures).ToString(c));
            xml.WriteAttributeString("time", ((run.CompletedAt - run.StartedAt).TotalSeconds).ToString("0.###", c));
            for (int i = 0; i < run.Cases.Count; i++)
            {
                var item = run.Cases[i];
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", $"evaluation.{run.Dataset}");
                xml.WriteAttributeString("name", item.Id);
                xml.WriteAttributeString("time", (item.LatencyMs / 1000).ToString("0.###", c));
                if (failures[i] is { } failure)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", failure);
                    xml.WriteString(failure);
                    xml.WriteEndElement();
                }

                xml.WriteElementString("system-out", string.Join("\n", item.Metrics.Select(m => $"{m.Name} = {(m.Value is { } v ? v.ToString("0.####", c) : "n/a")}")));
                xml.WriteEndElement();
            }

            foreach (var check in gate?.Checks ?? [])
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", "evaluation.gate");
                xml.WriteAttributeString("name", check.Rule);
                if (!check.Passed)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", check.Detail);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return builder.ToString();
    }

    private static string? Failure(CaseResult item)
    {
        if (item.Error is not null)
        {
            return "target failed: " + item.Error;
        }

        var problems = item.Metrics
            .Where(static m => m.Failed == true || m.Diagnostics.Any(static d => d.Severity == "Error"))
            .Select(static m => m.Failed == true ? $"{m.Name} failed: {m.Reason}" : $"{m.Name}: {m.Diagnostics.First(static d => d.Severity == "Error").Message}")
            .ToArray();
        return problems.Length == 0 ? null : string.Join("; ", problems);
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Why an answer did not finish, in words, or <see langword="null"/> when it did (or the reason is unknown).</summary>
    /// <param name="finishReason">The case's finish reason.</param>
    internal static string? CutShort(string? finishReason) => finishReason switch
    {
        "length" => "cut at the output-token limit (finish reason `length`); raise the limit or ask for a shorter answer",
        "content_filter" => "stopped by the provider's content filter (finish reason `content_filter`)",
        _ => null,
    };
}
