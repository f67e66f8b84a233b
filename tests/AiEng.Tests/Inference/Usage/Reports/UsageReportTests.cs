using AiEng.Inference;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Inference.Usage.Reports;

public sealed class UsageReportTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 30, 22, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static UsageRecord Call(DateTimeOffset at, string model, decimal? cost, string? tag = null, bool hit = false, string operation = UsageOperations.Chat, int latencyMs = 100, long input = 100, long output = 20) => new()
    {
        Timestamp = at,
        Operation = operation,
        Model = model,
        Cost = cost,
        CallerTag = tag,
        IsCacheHit = hit,
        InputTokens = hit ? 0 : input,
        OutputTokens = hit ? 0 : output,
        Latency = TimeSpan.FromMilliseconds(latencyMs),
    };

    private static UsageRecord[] Sample() =>
    [
        Call(Day1, "big", 0.30m, "support", latencyMs: 900),
        Call(Day1.AddMinutes(5), "big", 0.10m, "support", latencyMs: 300),
        Call(Day2, "big", 0m, "support", hit: true, latencyMs: 2),
        Call(Day2.AddMinutes(1), "small", 0.01m, "search", latencyMs: 50),
        Call(Day2.AddMinutes(2), "small", 0m, null, hit: true, latencyMs: 3),
        Call(Day2.AddMinutes(3), "embedder", 0.001m, "search", operation: UsageOperations.Embeddings, latencyMs: 10, input: 500, output: 0),
        Call(Day2.AddMinutes(4), "unpriced", null, "search", latencyMs: 70),
    ];

    [Fact]
    public void Totals_count_calls_tokens_cost_hits_and_value_each_hit_at_the_mean_paid_cost_of_its_model()
    {
        UsageReport report = UsageReport.Create(Sample());

        UsageReportRow total = report.Total;
        Assert.Equal(7, total.Calls);
        Assert.Equal(2, total.CacheHits);
        Assert.Equal(100 + 100 + 100 + 500 + 100, total.InputTokens);
        Assert.Equal(20 + 20 + 20 + 20, total.OutputTokens);
        Assert.Equal(0.411m, total.Cost);
        Assert.Equal(1, total.UnpricedCalls);

        // The "big" hit is worth the mean of 0.30 and 0.10; the "small" hit the one paid call of 0.01.
        Assert.Equal(0.21m, total.EstimatedSavings);
        Assert.Equal(Day1, report.FirstCall);
        Assert.Equal(Day2.AddMinutes(4), report.LastCall);
    }

    [Fact]
    public void Groups_by_model_feature_and_tag_most_expensive_first()
    {
        UsageReport report = UsageReport.Create(Sample());

        Assert.Equal(["big", "small", "embedder", "unpriced"], report.ByModel.Select(static r => r.Key));
        UsageReportRow big = report.ByModel[0];
        Assert.Equal((3L, 1L, 0.40m, 0.20m), (big.Calls, big.CacheHits, big.Cost, big.EstimatedSavings));
        Assert.Equal(TimeSpan.FromMilliseconds(300), big.LatencyP50);
        Assert.Equal(TimeSpan.FromMilliseconds(900), big.LatencyP95);

        Assert.Equal([UsageOperations.Chat, UsageOperations.Embeddings], report.ByFeature.Select(static r => r.Key));
        Assert.Equal(6, report.ByFeature[0].Calls);

        Assert.Equal(["support", "search", UsageReport.NoTag], report.ByTag.Select(static r => r.Key));
        Assert.Equal(0.011m, report.ByTag[1].Cost);
        Assert.Equal(0.01m, report.ByTag[2].EstimatedSavings);
    }

    [Fact]
    public void Counts_the_calls_a_cascade_made_after_rejecting_an_answer_as_escalations()
    {
        UsageRecord[] records =
        [
            Call(Day2, "small", 0.01m) with { CascadeStep = 0 },
            Call(Day2, "large", 0.10m) with { CascadeStep = 1 },
            Call(Day2, "small", 0.01m) with { CascadeStep = 0 },
            Call(Day2, "small", 0.01m),
        ];

        UsageReport report = UsageReport.Create(records);

        Assert.Equal(1, report.Total.Escalations);
        Assert.Equal(1, report.ByModel.Single(static r => r.Key == "large").Escalations);
        Assert.Equal(0, report.ByModel.Single(static r => r.Key == "small").Escalations);
        Assert.Contains("- Escalations (calls a cascade made after rejecting an answer): 1", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Groups_days_in_the_time_zone_asked_for_oldest_first()
    {
        UsageReport utc = UsageReport.Create(Sample());
        Assert.Equal(["2026-11-30", "2026-12-01"], utc.ByDay.Select(static r => r.Key));
        Assert.Equal([2L, 5L], utc.ByDay.Select(static r => r.Calls));

        // 22:30 UTC on the 30th is already the 1st two hours east of UTC.
        var east = TimeZoneInfo.CreateCustomTimeZone("UTC+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        UsageReport shifted = UsageReport.Create(Sample(), new UsageReportOptions { TimeZone = east });
        Assert.Equal(["2026-12-01"], shifted.ByDay.Select(static r => r.Key));
        Assert.Equal(7, shifted.ByDay[0].Calls);
    }

    [Fact]
    public void Keeps_only_the_period_asked_for()
    {
        UsageReport report = UsageReport.Create(Sample(), new UsageReportOptions { Since = Day2, Until = Day2.AddMinutes(3) });

        Assert.Equal(3, report.Total.Calls);
        Assert.Equal(["2026-12-01"], report.ByDay.Select(static r => r.Key));

        // The "big" hit has no paid "big" call in the period, so it is valued at zero rather than guessed.
        Assert.Equal(0m, report.ByModel.Single(static r => r.Key == "big").EstimatedSavings);
        Assert.Equal(Day2, report.Since);
    }

    [Fact]
    public void Reads_a_ledgers_records()
    {
        var ledger = new UsageLedger();
        foreach (UsageRecord record in Sample())
        {
            ledger.Record(record);
        }

        Assert.Equal(UsageReport.Create(Sample()).Total, UsageReport.FromLedger(ledger).Total);
    }

    [Fact]
    public void Markdown_has_a_table_per_grouping_with_escaped_cells()
    {
        UsageRecord[] records = [.. Sample(), Call(Day2, "a|b", 0.5m, "line\nbreak")];

        string md = UsageReport.Create(records, new UsageReportOptions { Title = "Week 48" }).ToMarkdown();

        Assert.StartsWith("# Week 48\n\n8 calls from 2026-11-30 22:30:00Z to 2026-12-01 09:04:00Z; costs in USD.", md, StringComparison.Ordinal);
        Assert.Contains("- Calls: 8, of which cache hits: 2 (25.0%)", md, StringComparison.Ordinal);
        Assert.Contains("- Cost: 0.9110 USD; estimated savings of the cache hits: 0.2100 USD", md, StringComparison.Ordinal);
        Assert.Contains("## By model\n\n| Model | Calls | Cache hits |", md, StringComparison.Ordinal);
        Assert.Contains("| a\\|b | 1 | 0 | 0 | 100 | 20 | 0.5000 | 0.0000 | 100 | 100 |", md, StringComparison.Ordinal);
        Assert.Contains("| line break | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("## By feature", md, StringComparison.Ordinal);
        Assert.Contains("## By caller tag", md, StringComparison.Ordinal);
        Assert.Contains("| 2026-11-30 | 2 | 0 | 0 | 200 | 40 | 0.4000 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_period_renders_without_failing()
    {
        UsageReport report = UsageReport.Create([], new UsageReportOptions { Since = Day1, Until = Day2 });

        Assert.Equal(0, report.Total.Calls);
        Assert.Contains("No calls recorded from 2026-11-30 22:30:00Z to 2026-12-01 09:00:00Z.", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("no calls", report.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_is_self_contained_and_escapes_names()
    {
        UsageRecord[] records = [.. Sample(), Call(Day2, "<script>alert(1)</script>", 0.5m)];

        string html = UsageReport.Create(records).ToHtml();

        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(3, CountOf(html, "<svg "));
    }

    [Fact]
    public void Html_bars_are_proportional_to_the_values()
    {
        string html = UsageReport.Create(Sample()).ToHtml();

        // Cost by model: "big" (0.40) is the tallest bar, drawn at the full plot height; "small" (0.01) is 1/40 of it.
        double big = BarHeight(html, "chart-cost-by-model", "big");
        double small = BarHeight(html, "chart-cost-by-model", "small");
        Assert.Equal(156, big, precision: 1);
        Assert.Equal(big / 40, small, precision: 1);

        // Calls by day are stacked: paid and cache-hit bars of the second day add up to its five calls, the tallest.
        double paid = BarHeight(html, "chart-calls-by-day", "2026-12-01", "paid");
        double hits = BarHeight(html, "chart-calls-by-day", "2026-12-01", "cache hits");
        Assert.Equal(156, paid + hits, precision: 1);
        Assert.Equal(paid * 2 / 3, hits, precision: 1);
    }

    [Fact]
    public async Task Writes_html_or_markdown_by_extension_replacing_the_file_whole()
    {
        using var temp = new TempDirectory();
        UsageReport report = UsageReport.Create(Sample());
        string html = temp.Combine("out/usage.html");
        string md = temp.Combine("out/usage.md");
        await File.WriteAllTextAsync(temp.Combine("placeholder"), "x");

        await report.WriteAsync(html);
        await report.WriteAsync(md);
        await report.WriteAsync(md);

        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
        Assert.Equal(report.ToMarkdown(), await File.ReadAllTextAsync(md));
        Assert.Equal(["usage.html", "usage.md"], Directory.GetFiles(temp.Combine("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rejects_bad_arguments_saying_what_is_wrong()
    {
        Assert.Throws<ArgumentNullException>(() => UsageReport.Create(null!));
        Assert.Throws<ArgumentNullException>(() => UsageReport.FromLedger(null!));
        var error = Assert.Throws<ArgumentException>(() => UsageReport.Create([], new UsageReportOptions { Since = Day2, Until = Day1 }));
        Assert.Contains("must be after its start", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => UsageReport.Create([Sample()[0], null!]));
        Assert.Contains("Record 1 is null", error.Message, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Renders_in_headless_chromium_with_its_charts_and_tables()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("usage.html");
        await UsageReport.Create(Sample(), new UsageReportOptions { Title = "Usage: week 48" }).WriteAsync(path);

        string dom = await Chromium.DumpDomAsync(path);

        Assert.Contains("<h1>Usage: week 48</h1>", dom, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(dom, "<svg "));
        Assert.Equal(2 + (2 * 2) + 4, CountOf(dom, "<rect class=\"bar\""));
        Assert.Contains("<td>big</td><td>3</td><td>1</td><td>0</td>", dom, StringComparison.Ordinal);
        Assert.Contains("<table id=\"by-day\">", dom, StringComparison.Ordinal);
        Assert.Contains("<td>2026-12-01</td><td>5</td><td>2</td>", dom, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static double BarHeight(string html, string chart, string key, string series = "cost")
    {
        string svg = html[html.IndexOf($"<svg id=\"{chart}\"", StringComparison.Ordinal)..];
        svg = svg[..svg.IndexOf("</svg>", StringComparison.Ordinal)];
        string marker = $"data-key=\"{key}\" data-series=\"{series}\"";
        string rect = svg[svg.IndexOf(marker, StringComparison.Ordinal)..];
        int start = rect.IndexOf("height=\"", StringComparison.Ordinal) + "height=\"".Length;
        return double.Parse(rect[start..rect.IndexOf('"', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
