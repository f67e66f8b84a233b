using System.CommandLine;
using System.Globalization;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace AiEng.Cli.Cost;

/// <summary>
/// <c>aieng cost report --since DATE</c>: <see cref="UsageReport.Create"/> over the records of the shared usage ledger
/// (<see cref="PostgresUsageLedger.GetRecordsAsync"/>): the ledger every instance of an application writes to with
/// <c>AddPostgresUsageLedger</c>. The in-process ledger ends with its process, so a tool has nothing to read there.
/// </summary>
internal static class CostReportCommand
{
    /// <summary>The configuration key of the ledger's connection string.</summary>
    public const string LedgerKey = "AiEng:Usage:Postgres:ConnectionString";

    private static readonly Option<DateTimeOffset?> Since = new("--since") { Description = "The start (inclusive): a date or time, for example 2026-12-01 or 2026-12-01T00:00Z (local time unless an offset is given).", HelpName = "DATE" };

    private static readonly Option<DateTimeOffset?> Until = new("--until") { Description = "The end (exclusive).", HelpName = "DATE" };

    private static readonly Option<string> Format = new("--format", "-f") { Description = "md (Markdown tables) or html (one page).", DefaultValueFactory = _ => "md" };

    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };

    private static readonly Option<string?> Ledger = new("--ledger") { Description = "The PostgreSQL connection string of the usage ledger. Default: " + LedgerKey + ".", HelpName = "CONNECTION" };

    static CostReportCommand() => Format.AcceptOnlyFromAmong("md", "html");

    /// <summary>Creates <c>cost</c> with <c>report</c>.</summary>
    public static Command Create(CliApplication application)
    {
        Command report = CliCommand.Create(
            "report",
            "Reports what the model calls recorded in the shared usage ledger cost: totals, by model, by feature, by tag and by day. The ledger is the PostgreSQL one an application writes with AddPostgresUsageLedger.",
            "aieng cost report --since 2026-12-01",
            "aieng cost report --since 2026-12-01 --until 2027-01-01 --format html --out cost.html --ledger \"Host=db;Database=app;Username=reports\"");
        report.Add(Since);
        report.Add(Until);
        report.Add(Format);
        report.Add(Out);
        report.Add(Ledger);
        report.WithAction(application, async (context, cancellationToken) =>
        {
            string connectionString = context.GetValue(Ledger) ?? context.Configuration[LedgerKey]
                ?? throw new CliInputException($"No usage ledger: pass --ledger \"Host=...;Database=...\" or set {LedgerKey} (environment variable AiEng__Usage__Postgres__ConnectionString), the database an application records into with AddPostgresUsageLedger.");
            NpgsqlDataSource dataSource;
            try
            {
                dataSource = NpgsqlDataSource.Create(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw new CliInputException($"--ledger: not a PostgreSQL connection string ({ex.Message}).", ex);
            }

            await using (dataSource)
            {
                var ledger = new PostgresUsageLedger(dataSource);
                IReadOnlyList<UsageRecord> records = await ledger.GetRecordsAsync(cancellationToken);
                UsageReport usage = UsageReport.Create(records, new UsageReportOptions { Since = context.GetValue(Since), Until = context.GetValue(Until) });
                string text = context.GetValue(Format) == "html" ? usage.ToHtml() : usage.ToMarkdown();
                if (context.GetValue(Out) is string file)
                {
                    string full = context.FullPath(file);
                    await AtomicFile.WriteAllTextAsync(full, text, cancellationToken);
                    context.WriteResult(
                        new { file = full, calls = usage.Total.Calls, cost = usage.Total.Cost, currency = usage.Currency },
                        output => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {full}: {usage.Total.Calls} calls, {usage.Total.Cost} {usage.Currency}")));
                }
                else
                {
                    context.Output.Write(text);
                }
            }

            return ExitCodes.Ok;
        });
        return new Command("cost", "Report what model calls cost, from the usage ledger.") { report };
    }
}
