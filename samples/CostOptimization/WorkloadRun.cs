namespace AiEng.Samples.CostOptimization;

/// <summary>One way of running the shared workload of step 6, and what it cost.</summary>
/// <param name="Name">The way: plain, semantic cache, cascade or batch.</param>
/// <param name="Correct">The questions answered with the reference answer.</param>
/// <param name="Requests">The questions asked.</param>
/// <param name="ModelCalls">The calls that reached a model (batch lines included).</param>
/// <param name="Cost">The cost in the usage ledger, in USD.</param>
/// <param name="LatencyP50Ms">The median time from a question to its answer, in milliseconds.</param>
/// <param name="LatencyP95Ms">The 95th percentile of that time, in milliseconds.</param>
/// <param name="Elapsed">The time the whole workload took.</param>
internal sealed record WorkloadRun(string Name, int Correct, int Requests, int ModelCalls, decimal Cost, double LatencyP50Ms, double LatencyP95Ms, TimeSpan Elapsed)
{
    /// <summary>Gets the share of questions answered correctly.</summary>
    public double Accuracy => Requests == 0 ? 0 : (double)Correct / Requests;
}
