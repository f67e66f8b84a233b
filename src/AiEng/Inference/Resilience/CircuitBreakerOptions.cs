using System.ComponentModel.DataAnnotations;
using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Options of the circuit breaker in the resilience middleware: after too many transient failures it stops sending
/// calls for a while (they fail at once with a <see cref="ModelRequestException"/>), then lets one trial call through.
/// </summary>
/// <remarks>
/// The circuit breaker counts attempts, not calls: each retry is one more sample. One circuit belongs to one middleware
/// instance, so one model; clients built separately have separate circuits.
/// </remarks>
public sealed class CircuitBreakerOptions
{
    private const string DurationRange = "{0} must be between 00:00:00.500 (0.5 seconds) and 1.00:00:00 (1 day)";

    /// <summary>Gets or sets a value indicating whether the circuit breaker is on.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> at which the circuit opens.</summary>
    /// <value>Greater than 0 and at most 1. The default is 0.5 (half of the attempts failed).</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "{0} must be greater than 0 and at most 1")]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts must be seen within <see cref="SamplingDuration"/> before the circuit may open.</summary>
    /// <value>At least 2. The default is 10.</value>
    [Range(2, int.MaxValue, ErrorMessage = "{0} must be at least 2")]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the sliding window over which <see cref="FailureRatio"/> is measured.</summary>
    /// <value>Between 0.5 seconds and 1 day. The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = DurationRange)]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before one trial call is let through.</summary>
    /// <value>Between 0.5 seconds and 1 day. The default is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = DurationRange)]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks every value and throws when one is out of its allowed range (also when <see cref="Enabled"/> is off).</summary>
    /// <exception cref="ArgumentException">
    /// A value is out of range; the message names every such value by its configuration key (under
    /// <c>AiEng:Resilience:CircuitBreaker</c>), its environment variable and the allowed range.
    /// </exception>
    public void Validate()
    {
        var errors = new List<string>();
        AnnotationFailures.Add(new CircuitBreakerOptionsAnnotationValidator(), this, ResilienceOptions.SectionName + ":" + nameof(ResilienceOptions.CircuitBreaker), errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}
