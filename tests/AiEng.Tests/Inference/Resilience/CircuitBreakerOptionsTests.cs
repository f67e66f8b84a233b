using AiEng.Inference;

namespace AiEng.Tests.Inference.Resilience;

public class CircuitBreakerOptionsTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Validate_rejects_a_failure_ratio_outside_zero_to_one(double ratio)
    {
        var error = Assert.Throws<ArgumentException>(new CircuitBreakerOptions { FailureRatio = ratio }.Validate);

        Assert.Contains("AiEng:Resilience:CircuitBreaker:FailureRatio is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Resilience__CircuitBreaker__FailureRatio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_rejects_a_sampling_duration_below_half_a_second()
    {
        var error = Assert.Throws<ArgumentException>(new CircuitBreakerOptions { SamplingDuration = TimeSpan.FromMilliseconds(499) }.Validate);

        Assert.Contains("AiEng:Resilience:CircuitBreaker:SamplingDuration is 00:00:00.4990000 but must be between 00:00:00.500", error.Message, StringComparison.Ordinal);
    }
}
