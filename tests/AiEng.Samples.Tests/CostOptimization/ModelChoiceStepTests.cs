using AiEng.Evaluation;
using AiEng.Samples.CostOptimization;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's model-choice step against the loopback test server, as the sample does.</summary>
public sealed class ModelChoiceStepTests
{
    [Fact]
    public async Task Recommends_the_cheaper_strong_model_and_writes_the_comparison_and_the_usage_reports()
    {
        string folder = Directory.CreateTempSubdirectory("aieng-cost-reports-").FullName;
        try
        {
            var output = new StringWriter();

            (ModelComparison comparison, var usage) = await ModelChoiceStep.RunAsync(folder, output);

            // "small" refuses the multi-step questions and gets the product wrong; "newer" is as good as "large" for less.
            Assert.Equal(["large", "small", "newer"], comparison.Rows.Select(static r => r.Model));
            Assert.Equal(1.0, comparison.Rows[0].Quality);
            Assert.Equal(8.0 / 12, comparison.Rows[1].Quality, precision: 10);
            Assert.True(comparison.Rows[1].IsSignificantlyBelowBest);
            Assert.Equal("newer", comparison.Recommended!.Model);

            // 12 calls of 120 input and 20 output tokens: large 2.50/10, newer 0.40/1.60 per million.
            Assert.Equal(0.5m, comparison.Rows[0].CostPer1000);
            Assert.Equal(0.08m, comparison.Rows[2].CostPer1000);
            Assert.Equal(36, usage.Total.Calls);
            Assert.Equal(["gpt-4o", "gpt-4.1-mini", "gpt-4o-mini"], usage.ByModel.Select(static r => r.Key));
            Assert.All(["models.html", "usage.html", "usage.md"], f => Assert.True(File.Exists(Path.Combine(folder, f)), f));
            Assert.Contains("recommended: newer", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
