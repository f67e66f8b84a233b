using System.Globalization;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// A summary of recorded model calls by model, feature (the operation: <c>chat</c>, <c>embeddings</c>, ...), caller tag
/// and day, with calls, tokens, cost, cache hits and their estimated savings, and cascade escalations; rendered as Markdown
/// (<see cref="ToMarkdown"/>) or as one self-contained HTML page with SVG charts (<see cref="ToHtml"/>).
/// </summary>
/// <remarks>
/// Build it from a ledger (<see cref="FromLedger"/>) or from any records (<see cref="Create"/>). The in-process
/// <see cref="UsageLedger"/> keeps only its newest <see cref="UsageLedger.MaxRecords"/> records; a shared ledger (such as
/// PostgreSQL's) keeps every call.
/// </remarks>
public sealed class UsageReport
{
    /// <summary>The key of the row for calls without a caller tag.</summary>
    public const string NoTag = "(none)";

    private UsageReport(UsageReportOptions options, DateTimeOffset? first, DateTimeOffset? last, UsageReportRow total,
        IReadOnlyList<UsageReportRow> byModel, IReadOnlyList<UsageReportRow> byFeature, IReadOnlyList<UsageReportRow> byTag, IReadOnlyList<UsageReportRow> byDay)
    {
        Title = options.Title;
        Currency = options.Currency;
        Since = options.Since;
        Until = options.Until;
        FirstCall = first;
        LastCall = last;
        Total = total;
        ByModel = byModel;
        ByFeature = byFeature;
        ByTag = byTag;
        ByDay = byDay;
    }

    /// <summary>Gets the report's title.</summary>
    public string Title { get; }

    /// <summary>Gets the currency label of the costs.</summary>
    public string Currency { get; }

    /// <summary>Gets the start of the period asked for, if any (<see cref="UsageReportOptions.Since"/>).</summary>
    public DateTimeOffset? Since { get; }

    /// <summary>Gets the end of the period asked for, if any (<see cref="UsageReportOptions.Until"/>).</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>Gets the time of the first call reported, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? FirstCall { get; }

    /// <summary>Gets the time of the last call reported, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? LastCall { get; }

    /// <summary>Gets the totals of every call reported (key <c>total</c>).</summary>
    public UsageReportRow Total { get; }

    /// <summary>Gets the rows by model, the most expensive first.</summary>
    public IReadOnlyList<UsageReportRow> ByModel { get; }

    /// <summary>Gets the rows by feature (<see cref="UsageRecord.Operation"/>), the most expensive first.</summary>
    public IReadOnlyList<UsageReportRow> ByFeature { get; }

    /// <summary>Gets the rows by caller tag (<see cref="UsageRecord.CallerTag"/>; <see cref="NoTag"/> for none), the most expensive first.</summary>
    public IReadOnlyList<UsageReportRow> ByTag { get; }

    /// <summary>Gets the rows by calendar day in <see cref="UsageReportOptions.TimeZone"/>, oldest first.</summary>
    public IReadOnlyList<UsageReportRow> ByDay { get; }

    /// <summary>Builds a report from the records of a ledger.</summary>
    /// <param name="ledger">The ledger; its <see cref="IUsageLedger.GetRecords"/> are reported.</param>
    /// <param name="options">The period, time zone and labels; <see langword="null"/> for every record, by UTC day.</param>
    /// <returns>The report.</returns>
    public static UsageReport FromLedger(IUsageLedger ledger, UsageReportOptions? options = null) =>
        Create(Throw.IfNull(ledger).GetRecords(), options);

    /// <summary>Builds a report from usage records.</summary>
    /// <param name="records">The records, in any order.</param>
    /// <param name="options">The period, time zone and labels; <see langword="null"/> for every record, by UTC day.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><see cref="UsageReportOptions.Until"/> is not after <see cref="UsageReportOptions.Since"/>, or a record is null.</exception>
    public static UsageReport Create(IEnumerable<UsageRecord> records, UsageReportOptions? options = null)
    {
        Throw.IfNull(records);
        options ??= new UsageReportOptions();
        Throw.IfNull(options.TimeZone);
        Throw.IfNullOrWhitespace(options.Title);
        Throw.IfNull(options.Currency);
        if (options.Since is DateTimeOffset since && options.Until is DateTimeOffset until && until <= since)
        {
            throw new ArgumentException($"The report's end ({until:O}) must be after its start ({since:O}).", nameof(options));
        }

        var selected = new List<UsageRecord>();
        foreach (UsageRecord? record in records)
        {
            if (record is null)
            {
                throw new ArgumentException($"Record {selected.Count} is null; pass only recorded calls.", nameof(records));
            }

            if ((options.Since is null || record.Timestamp >= options.Since) && (options.Until is null || record.Timestamp < options.Until))
            {
                selected.Add(record);
            }
        }

        selected.Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
        Dictionary<(string Model, string Operation), decimal> meanCost = MeanPaidCost(selected);
        decimal Saving(UsageRecord r) => r.IsCacheHit && meanCost.TryGetValue((r.Model, r.Operation), out decimal cost) ? cost : 0m;

        TimeZoneInfo zone = options.TimeZone;
        string Day(UsageRecord r) => TimeZoneInfo.ConvertTime(r.Timestamp, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        return new UsageReport(
            options,
            selected.Count > 0 ? selected[0].Timestamp : null,
            selected.Count > 0 ? selected[^1].Timestamp : null,
            Row("total", selected, Saving),
            ByCost(selected, static r => r.Model, Saving),
            ByCost(selected, static r => r.Operation, Saving),
            ByCost(selected, static r => string.IsNullOrEmpty(r.CallerTag) ? NoTag : r.CallerTag, Saving),
            [.. selected.GroupBy(Day, StringComparer.Ordinal).Select(g => Row(g.Key, g, Saving)).OrderBy(static r => r.Key, StringComparer.Ordinal)]);
    }

    /// <summary>Renders the report as Markdown: a summary, then a table by model, feature, caller tag and day.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown() => UsageReportMarkdown.Render(this);

    /// <summary>
    /// Renders the report as one self-contained HTML page (inline CSS, inline SVG charts of cost by day, calls and cache
    /// hits by day, and cost by model; no script, no network), with the same tables as <see cref="ToMarkdown"/>.
    /// </summary>
    /// <returns>The HTML text.</returns>
    public string ToHtml() => UsageReportHtml.Render(this);

    /// <summary>Writes the report to a file, as HTML when its extension is <c>.html</c> or <c>.htm</c> and as Markdown otherwise.</summary>
    /// <param name="path">The file to write; its folder is created when missing, and the file is replaced whole (written beside it, then moved).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteReportAsync(Throw.IfNullOrWhitespace(path), ToHtml, ToMarkdown, cancellationToken);

    private static Dictionary<(string Model, string Operation), decimal> MeanPaidCost(List<UsageRecord> records) =>
        records.Where(static r => !r.IsCacheHit && r.Cost is not null)
            .GroupBy(static r => (r.Model, r.Operation))
            .ToDictionary(static g => g.Key, static g => g.Average(static r => r.Cost!.Value));

    private static List<UsageReportRow> ByCost(List<UsageRecord> records, Func<UsageRecord, string> key, Func<UsageRecord, decimal> saving) =>
        [.. records.GroupBy(key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g, saving))
            .OrderByDescending(static r => r.Cost)
            .ThenByDescending(static r => r.Calls)
            .ThenBy(static r => r.Key, StringComparer.Ordinal)];

    private static UsageReportRow Row(string key, IEnumerable<UsageRecord> records, Func<UsageRecord, decimal> saving)
    {
        long calls = 0, hits = 0, escalations = 0, input = 0, output = 0, unpriced = 0, estimated = 0;
        decimal cost = 0m, savings = 0m;
        var latencies = new List<TimeSpan>();
        foreach (UsageRecord r in records)
        {
            calls++;
            input += r.InputTokens;
            output += r.OutputTokens;
            cost += r.Cost ?? 0m;
            savings += saving(r);
            latencies.Add(r.Latency);
            hits += r.IsCacheHit ? 1 : 0;
            escalations += r.CascadeStep > 0 ? 1 : 0;
            unpriced += r.Cost is null && !r.IsCacheHit ? 1 : 0;
            estimated += r.IsEstimated ? 1 : 0;
        }

        latencies.Sort();
        return new UsageReportRow
        {
            Key = key,
            Calls = calls,
            CacheHits = hits,
            Escalations = escalations,
            InputTokens = input,
            OutputTokens = output,
            Cost = cost,
            EstimatedSavings = savings,
            UnpricedCalls = unpriced,
            EstimatedCalls = estimated,
            LatencyP50 = Quantile(latencies, 0.50),
            LatencyP95 = Quantile(latencies, 0.95),
        };
    }

    /// <summary>The nearest-rank quantile of sorted values (zero for none).</summary>
    private static TimeSpan Quantile(List<TimeSpan> sorted, double q) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
