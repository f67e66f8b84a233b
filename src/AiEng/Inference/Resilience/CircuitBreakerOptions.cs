using System.Globalization;

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
    private static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Gets or sets a value indicating whether the circuit breaker is on.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> at which the circuit opens.</summary>
    /// <value>Greater than 0 and at most 1. The default is 0.5 (half of the attempts failed).</value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts must be seen within <see cref="SamplingDuration"/> before the circuit may open.</summary>
    /// <value>At least 2. The default is 10.</value>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the sliding window over which <see cref="FailureRatio"/> is measured.</summary>
    /// <value>Between 0.5 seconds and 1 day. The default is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before one trial call is let through.</summary>
    /// <value>Between 0.5 seconds and 1 day. The default is 15 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Creates a copy, so that a caller's options are never changed.</summary>
    /// <returns>A new instance with the same values.</returns>
    public CircuitBreakerOptions Clone() => new()
    {
        Enabled = Enabled,
        FailureRatio = FailureRatio,
        MinimumThroughput = MinimumThroughput,
        SamplingDuration = SamplingDuration,
        BreakDuration = BreakDuration,
    };

    /// <summary>Checks every value and throws for the first one out of its allowed range (also when <see cref="Enabled"/> is off).</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names the property and the allowed range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException(errors[0], "options");
        }
    }

    /// <summary>Checks every value and adds a message for each one out of its allowed range.</summary>
    /// <param name="errors">Receives one message per value out of range.</param>
    internal void Validate(ICollection<string> errors)
    {
        if (!(FailureRatio > 0 && FailureRatio <= 1))
        {
            errors.Add(ResilienceOptions.Invalid("CircuitBreaker.FailureRatio", FailureRatio.ToString(CultureInfo.InvariantCulture), "greater than 0 and at most 1"));
        }

        if (MinimumThroughput < 2)
        {
            errors.Add(ResilienceOptions.Invalid("CircuitBreaker.MinimumThroughput", MinimumThroughput, "at least 2"));
        }

        CheckDuration("CircuitBreaker.SamplingDuration", SamplingDuration, errors);
        CheckDuration("CircuitBreaker.BreakDuration", BreakDuration, errors);
    }

    private static void CheckDuration(string name, TimeSpan value, ICollection<string> errors)
    {
        if (value < MinDuration || value > MaxDuration)
        {
            errors.Add(ResilienceOptions.Invalid(name, value, "between 00:00:00.500 (0.5 seconds) and 1.00:00:00 (1 day)"));
        }
    }
}
