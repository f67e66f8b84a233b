using AiEng.Evaluation;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Evaluation.Reports;

public sealed class HtmlReportTests
{
    [Fact]
    public void Is_self_contained_and_escapes_case_text()
    {
        var run = RunFactory.Run("new", "Token F1", 0.5, 1);
        run = new EvaluationRun { Name = run.Name, Dataset = run.Dataset, Cases = [new CaseResult { Id = "x", Input = "<script>alert(1)</script>", Metrics = run.Cases[0].Metrics }] };

        string html = HtmlReport.Render(run, null, null);

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Renders_in_headless_chromium_with_the_summary_the_comparison_and_no_script_errors()
    {
        using var temp = new TempDirectory();
        var baseline = RunFactory.Run("baseline", "Token F1", 0.2, 0.3, 0.2, 0.3, 0.2);
        var current = RunFactory.Run("candidate", "Token F1", 0.6, 0.7, 0.6, 0.7, 0.6);
        await EvaluationReports.WriteAllAsync(current, temp.Path, baseline);

        string dom = await Chromium.DumpDomAsync(temp.Combine("report.html"));

        Assert.Contains("<span id=\"script-status\">ok</span>", dom, StringComparison.Ordinal);
        Assert.Contains("<pre id=\"script-errors\"></pre>", dom, StringComparison.Ordinal);
        Assert.Contains("<td>Token F1</td><td>0.6400</td>", dom, StringComparison.Ordinal);
        Assert.Contains("5 of 5 cases shown", dom, StringComparison.Ordinal);
        Assert.Contains("Comparison with baseline", dom, StringComparison.Ordinal);
        Assert.Contains("<span class=\"good\">better</span>", dom, StringComparison.Ordinal);
    }
}
