using AiEng.Inference;

namespace AiEng.Tests.Inference.Resilience;

public class CircuitBreakerOptionsTests
{
    [Fact]
    public void Clone_is_independent_of_the_original()
    {
        var original = new CircuitBreakerOptions { FailureRatio = 0.25, SamplingDuration = TimeSpan.FromSeconds(10) };

        var clone = original.Clone();
        clone.FailureRatio = 1;

        Assert.Equal(0.25, original.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(10), clone.SamplingDuration);
        Assert.Equal(original.BreakDuration, clone.BreakDuration);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Validate_rejects_a_failure_ratio_outside_zero_to_one(double ratio)
    {
        var error = Assert.Throws<ArgumentException>(new CircuitBreakerOptions { FailureRatio = ratio }.Validate);

        Assert.Contains("CircuitBreaker.FailureRatio", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Resilience:CircuitBreaker:FailureRatio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_rejects_a_sampling_duration_below_half_a_second()
    {
        var error = Assert.Throws<ArgumentException>(new CircuitBreakerOptions { SamplingDuration = TimeSpan.FromMilliseconds(499) }.Validate);

        Assert.Contains("CircuitBreaker.SamplingDuration", error.Message, StringComparison.Ordinal);
    }
}
