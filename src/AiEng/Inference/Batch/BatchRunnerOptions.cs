using System.Text.Json;

namespace AiEng.Inference;

/// <summary>Options of a <see cref="BatchRunner"/>.</summary>
public sealed class BatchRunnerOptions
{
    /// <summary>The largest allowed <see cref="MaxConcurrency"/>: 1,024.</summary>
    public const int MaxAllowedConcurrency = 1024;

    /// <summary>Gets or sets how many items are processed at once.</summary>
    /// <value>
    /// Between 1 and 1,024. The default is 4. The model's rate limits (<c>Settings:RequestsPerMinute</c>,
    /// <c>Settings:TokensPerMinute</c>) pace the calls whatever the concurrency, so set it to what covers the model's latency at
    /// the limit: requests per second × seconds per call, with some room.
    /// </value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets the path of the results file: one JSON line per finished item, appended and flushed to disk as each one
    /// finishes. A run given the file of an earlier, interrupted run returns the items that succeeded there from the file and
    /// processes only the rest, so nothing is paid for twice. <see langword="null"/> (the default) keeps results in memory only.
    /// </summary>
    public string? ResultsPath { get; set; }

    /// <summary>Gets or sets a value indicating whether a failed item is reported and the run goes on (the default), or the run stops and rethrows the failure once the items in flight are done.</summary>
    public bool ContinueOnItemFailure { get; set; } = true;

    /// <summary>Gets or sets the receiver of progress, reported after each finished item.</summary>
    public IProgress<BatchProgress>? Progress { get; set; }

    /// <summary>
    /// Gets or sets how results are written to and read from the results file. The default, <see langword="null"/>, uses
    /// <c>AIJsonUtilities.DefaultOptions</c>, which knows strings, numbers, arrays and the types of Microsoft.Extensions.AI.
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>Creates a copy, so that a runner never sees later changes of the caller's instance.</summary>
    internal BatchRunnerOptions Clone() => new()
    {
        MaxConcurrency = MaxConcurrency,
        ResultsPath = ResultsPath,
        ContinueOnItemFailure = ContinueOnItemFailure,
        Progress = Progress,
        SerializerOptions = SerializerOptions,
    };
}
