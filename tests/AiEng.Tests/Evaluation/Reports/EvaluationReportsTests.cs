using System.Xml.Linq;
using AiEng.Evaluation;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Evaluation.Reports;

public sealed class EvaluationReportsTests
{
    [Fact]
    public async Task Writes_all_formats_and_the_json_report_reads_back_completely()
    {
        using var temp = new TempDirectory();
        var run = RunFactory.Run("new", "Token F1", 0.5, null, 1);

        await EvaluationReports.WriteAllAsync(run, temp.Path, baseline: RunFactory.Run("base", "Token F1", 0.4, 0.3, 0.9));

        Assert.True(File.Exists(temp.Combine("summary.md")) && File.Exists(temp.Combine("junit.xml")) && File.Exists(temp.Combine("report.html")));
        var back = await EvaluationRun.LoadAsync(temp.Combine("report.json"));
        Assert.Equal(("new", 3), (back.Name, back.Cases.Count));
        Assert.Equal("reason 0", back.Cases[0].Metrics[0].Reason);
        Assert.Equal("no reference", back.Cases[1].Metrics[0].Diagnostics[0].Message);
        Assert.Equal(0.75, back.Summarize("Token F1").Mean);
    }

    [Fact]
    public async Task Json_and_html_as_strings_are_the_files_write_all_writes()
    {
        using var temp = new TempDirectory();
        var run = RunFactory.Run("new", "Token F1", 0.5, null, 1);
        var baseline = RunFactory.Run("base", "Token F1", 0.4, 0.3, 0.9);

        await EvaluationReports.WriteAllAsync(run, temp.Path, baseline);

        Assert.Equal(await File.ReadAllTextAsync(temp.Combine("report.json")), EvaluationReports.ToJson(run));
        Assert.Equal(await File.ReadAllTextAsync(temp.Combine("report.html")), EvaluationReports.ToHtml(run, baseline));
        Assert.NotEqual(EvaluationReports.ToHtml(run, baseline), EvaluationReports.ToHtml(run));
    }

    [Fact]
    public async Task A_json_report_whose_write_is_cut_short_leaves_the_previous_file_whole_and_no_partial_file()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("report.json");
        await EvaluationReports.WriteJsonAsync(RunFactory.Run("first", "m", 0.5), path);
        string before = await File.ReadAllTextAsync(path);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EvaluationReports.WriteJsonAsync(RunFactory.Run("second", "m", 0.9, 0.1), path, cancelled.Token));

        Assert.Equal(before, await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
        Assert.Equal("first", (await EvaluationRun.LoadAsync(path)).Name);
    }

    [Fact]
    public void Markdown_has_a_metric_table_a_comparison_and_the_cases_with_problems()
    {
        var run = RunFactory.Run("new", "Token F1", 0.5, null, 1);
        string markdown = EvaluationReports.ToMarkdown(run, RunComparison.Compare(RunFactory.Run("base", "Token F1", 0.4, 0.3, 0.9), run));

        Assert.Contains("| Token F1 | 0.7500 | 0.3536 | 0.5000 | 1.0000 | 2 | 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Compared with `base`", markdown, StringComparison.Ordinal);
        Assert.Contains("- `c1`: Token F1: no reference", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Junit_xml_fails_cases_with_error_diagnostics_and_failed_gate_checks()
    {
        var run = RunFactory.Run("new", "m", 0.5, null);
        var gate = new EvaluationGate().AtLeast("m", 0.9).Evaluate(run);

        var suite = XDocument.Parse(EvaluationReports.ToJUnitXml(run, gate)).Root!.Element("testsuite")!;

        Assert.Equal("3", suite.Attribute("tests")!.Value);
        Assert.Equal("2", suite.Attribute("failures")!.Value);
        var cases = suite.Elements("testcase").ToArray();
        Assert.Null(cases[0].Element("failure"));
        Assert.Equal("m: no reference", cases[1].Element("failure")!.Attribute("message")!.Value);
        Assert.Equal("mean(m) >= 0.9", cases[2].Attribute("name")!.Value);
    }

    [Fact]
    public void An_unwritable_report_directory_is_detected_up_front()
    {
        using var temp = new TempDirectory();
        string file = temp.WriteText("occupied", "x");
        Assert.ThrowsAny<IOException>(() => EvaluationReports.EnsureWritable(file));
        EvaluationReports.EnsureWritable(temp.Combine("reports"));
        Assert.Empty(Directory.GetFiles(temp.Combine("reports")));
    }
}
