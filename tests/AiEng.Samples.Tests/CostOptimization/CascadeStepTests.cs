using AiEng.Samples.CostOptimization;

namespace AiEng.Samples.Tests.CostOptimization;

/// <summary>Runs the sample's cascade step offline.</summary>
public sealed class CascadeStepTests
{
    [Fact]
    public async Task The_cascade_escalates_the_refusals_and_costs_less_than_the_expensive_model()
    {
        var output = new StringWriter();

        (CascadeResult cheap, CascadeResult expensive, CascadeResult cascade) = await CascadeStep.RunAsync(output);

        // The cheap model refuses the three questions with several steps and gets the product wrong.
        Assert.Equal(8, cheap.Correct);
        Assert.Equal(12, expensive.Correct);
        Assert.Equal(11, cascade.Correct);
        Assert.Equal(3, cascade.Escalations);
        Assert.Equal(15, cascade.Calls);
        // 120 input and 20 output tokens a call: 12 cheap calls at 0.15/0.60, 12 expensive at 2.50/10 per million; the cascade 12 cheap and 3 expensive.
        Assert.Equal(0.00036m, cheap.Cost);
        Assert.Equal(0.006m, expensive.Cost);
        Assert.Equal(0.00186m, cascade.Cost);
        string text = output.ToString();
        Assert.Contains("cascade         correct 11/12, cost 0.001860 USD, calls 15, escalations  3", text, StringComparison.Ordinal);
        Assert.Contains("the cascade cost 31 % of the expensive model's", text, StringComparison.Ordinal);
    }
}
