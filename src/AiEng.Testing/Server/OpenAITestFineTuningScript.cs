using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>
/// How a fine-tuning job created on <see cref="OpenAITestServer"/> progresses. A job is created in <c>validating_files</c>;
/// every <c>GET /v1/fine_tuning/jobs/{id}</c> (a poll) moves it one step on: <see cref="ValidatingPolls"/> polls in
/// <c>validating_files</c>, then <see cref="QueuedPolls"/> in <c>queued</c>, then <see cref="RunningPolls"/> in
/// <c>running</c> (each adds a metrics event and a checkpoint), then <c>succeeded</c>, or <c>failed</c> when
/// <see cref="FailureCode"/> is set. <c>POST /v1/fine_tuning/jobs/{id}/cancel</c> cancels a job that has not finished.
/// </summary>
public sealed class OpenAITestFineTuningScript
{
    /// <summary>Gets the number of polls that still answer <c>validating_files</c>. The default is 0.</summary>
    public int ValidatingPolls { get; init; }

    /// <summary>Gets the number of polls that answer <c>queued</c>. The default is 1.</summary>
    public int QueuedPolls { get; init; } = 1;

    /// <summary>Gets the number of polls that answer <c>running</c>, one training step (event and checkpoint) each. The default is 2.</summary>
    public int RunningPolls { get; init; } = 2;

    /// <summary>
    /// Gets the <c>error.code</c> of a job that fails after running, for example <c>invalid_training_file</c>, or
    /// <see langword="null"/> (the default) for a job that succeeds.
    /// </summary>
    public string? FailureCode { get; init; }

    /// <summary>Gets the <c>error.message</c> of a failing job; by default one that names <see cref="FailureCode"/>.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>
    /// Gets the <c>fine_tuned_model</c> id of a job that succeeds; by default
    /// <c>ft:&lt;base model&gt;:aieng-test:&lt;suffix&gt;:&lt;job id&gt;</c>, as OpenAI spells its ids.
    /// </summary>
    public string? FineTunedModel { get; init; }

    /// <summary>Gets the <c>trained_tokens</c> reported when the job succeeds. The default is 1,000.</summary>
    public int TrainedTokens { get; init; } = 1000;

    /// <summary>Creates a script for a job that succeeds after <paramref name="runningPolls"/> polls in <c>running</c>.</summary>
    /// <param name="runningPolls">The number of polls in <c>running</c>; 0 or more.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runningPolls"/> is negative.</exception>
    public static OpenAITestFineTuningScript Succeeding(int runningPolls = 2) => new() { RunningPolls = Throw.IfLessThan(runningPolls, 0) };

    /// <summary>Creates a script for a job that fails with <paramref name="code"/> and <paramref name="message"/> after running.</summary>
    /// <param name="code">The <c>error.code</c>, for example <c>invalid_training_file</c>.</param>
    /// <param name="message">The <c>error.message</c>; by default one that names the code.</param>
    /// <param name="runningPolls">The number of polls in <c>running</c> before it fails; 0 or more.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is <see langword="null"/>, empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runningPolls"/> is negative.</exception>
    public static OpenAITestFineTuningScript Failing(string code, string? message = null, int runningPolls = 1) => new()
    {
        FailureCode = Throw.IfNullOrWhitespace(code),
        FailureMessage = message,
        RunningPolls = Throw.IfLessThan(runningPolls, 0),
    };

    /// <summary>Checks that the counts are not negative.</summary>
    internal void Validate()
    {
        Throw.IfLessThan(ValidatingPolls, 0);
        Throw.IfLessThan(QueuedPolls, 0);
        Throw.IfLessThan(RunningPolls, 0);
        Throw.IfLessThan(TrainedTokens, 0);
    }
}
