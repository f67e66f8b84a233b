using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;

namespace AiEng.FineTuning;

/// <summary>Options of <see cref="FineTuningJobRunner"/>, bound from <c>AiEng:FineTuning:Jobs</c> by <c>AddFineTuningJobs()</c>.</summary>
public sealed class FineTuningJobRunnerOptions
{
    /// <summary>The configuration section, below AiEng's: <c>FineTuning:Jobs</c>.</summary>
    public const string SectionName = "FineTuning:Jobs";

    /// <summary>
    /// Gets or sets the wait between two polls of a job. The default is 15 seconds: jobs take minutes to hours, and each poll
    /// is one request against the account's rate limit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "{0} must be between 1 millisecond and 1 day")]
    [ConfigurationExample("00:00:30")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long to follow a job before giving up with a <see cref="TimeoutException"/> (the job keeps running
    /// and can be followed again by id), or <see langword="null"/> (the default) to follow it until it finishes.
    /// </summary>
    [ConfigurationExample("06:00:00")]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether cancelling the caller's token also cancels the job at the provider. The default,
    /// <see langword="false"/>, only stops following it: a job is paid for by the token, and a stopped program should not
    /// throw away the training done so far.
    /// </summary>
    public bool CancelJobOnCancellation { get; set; }

    /// <summary>Creates a copy, so that later changes to the caller's options do not reach a running job.</summary>
    internal FineTuningJobRunnerOptions Clone() => new() { PollInterval = PollInterval, Timeout = Timeout, CancelJobOnCancellation = CancelJobOnCancellation };

    /// <summary>Checks the values, for options given in code.</summary>
    internal void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "The poll interval must be positive, for example 00:00:15.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "The timeout must be positive, or null to follow the job until it finishes.");
        }
    }
}
