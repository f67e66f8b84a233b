using AiEng.Onnx;
using AiEng.Samples.CostOptimization;
using AiEng.Samples.Rag;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's one-workload-four-ways step against the loopback test server it starts, with the local model.</summary>
public sealed class WorkloadComparisonStepTests
{
    [Fact]
    public async Task Runs_the_same_workload_four_ways_and_tabulates_what_each_cost_and_got_right()
    {
        var output = new StringWriter();
        using var embedder = new OnnxEmbeddingGenerator();

        IReadOnlyList<WorkloadRun> runs = await WorkloadComparisonStep.RunAsync(embedder, RagApp.CreatePlainConsole(output));

        Assert.Equal(["plain", "semantic cache", "cascade", "batch"], runs.Select(r => r.Name));
        Assert.All(runs, r => Assert.Equal(WorkloadComparisonStep.Workload.Count, r.Requests));
        (WorkloadRun plain, WorkloadRun cached, WorkloadRun cascade, WorkloadRun batch) = (runs[0], runs[1], runs[2], runs[3]);

        // 120 input and 20 output tokens a call: 0.0005 USD on the strong model (2.50/10 per million), 0.00003 on the cheap one (0.15/0.60).
        Assert.Equal((18, 18, 0.009m), (plain.Correct, plain.ModelCalls, plain.Cost));

        // Each rephrased question is served from the cache: its numbers and operation match an earlier one.
        Assert.Equal((18, 12, 0.006m), (cached.Correct, cached.ModelCalls, cached.Cost));

        // The cheap model refuses the three multi-step questions (escalated) and gets "6 times 7" wrong, asked twice.
        Assert.Equal((16, 21, 0.00204m), (cascade.Correct, cascade.ModelCalls, cascade.Cost));

        // The Batch API answers every line at half the strong model's price, all at once.
        Assert.Equal((18, 18, 0.0045m), (batch.Correct, batch.ModelCalls, batch.Cost));
        Assert.Equal(batch.LatencyP50Ms, batch.LatencyP95Ms);

        string text = output.ToString();
        Assert.Contains("latency p50", text, StringComparison.Ordinal);
        Assert.Contains("│ cascade        │ 16/18   │ 21          │ 0.002040", text, StringComparison.Ordinal);
        Assert.Contains("against plain: the cache cost 67 %, the cascade 23 % (with 2 more wrong), the batch 50 %", text, StringComparison.Ordinal);
    }
}
