using AiEng.Samples.CostOptimization;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's batch step against the loopback test server it starts.</summary>
public sealed class BatchStepTests
{
    [Fact]
    public async Task Labels_every_row_once_across_the_interruption_without_a_429()
    {
        var output = new StringWriter();

        (int requests, int rateLimited, int resumed, decimal cost) = await BatchStep.RunAsync(output);

        // The rows finished before the interruption came from the results file; only a call in flight at the interruption
        // (at most one per concurrent item, usually none as the limit spaces calls 200 ms apart) is sent again.
        Assert.InRange(requests, BatchStep.Rows, BatchStep.Rows + 3);
        Assert.Equal(0, rateLimited);
        Assert.InRange(resumed, BatchStep.InterruptAfter, BatchStep.Rows - 1);

        // At least 30 calls of 400 input tokens at 0.15 and 2 output tokens at 0.60 per million, and no more than were sent.
        Assert.InRange(cost, 0.001836m, 0.001836m / BatchStep.Rows * requests);
        string text = output.ToString();
        Assert.Contains("interrupted after", text, StringComparison.Ordinal);
        Assert.Contains($"{BatchStep.Rows}/{BatchStep.Rows} labelled (10 billing)", text, StringComparison.Ordinal);
        Assert.Contains("progress: 30/30 done, 0 failed", text, StringComparison.Ordinal);
    }
}
