using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>
/// How a batch created on <see cref="OpenAITestServer"/> (<c>POST /v1/batches</c>) progresses. The server answers every
/// line of the input file through its <see cref="OpenAITestServer.ChatHandler"/> when the batch is created, and reveals
/// the outcome step by step: the batch starts in <c>validating</c>; every <c>GET /v1/batches/{id}</c> (a poll) moves it one
/// step on: <see cref="ValidatingPolls"/> polls in <c>validating</c>, then <see cref="InProgressPolls"/> in
/// <c>in_progress</c>, then the end state: <c>completed</c>, <c>failed</c> (when <see cref="FailureCode"/> is set, or the
/// input file does not validate) or <c>expired</c> (when <see cref="ExpireAfterLines"/> is set).
/// </summary>
public sealed class OpenAITestBatchScript
{
    /// <summary>Gets the number of polls that still answer <c>validating</c>. The default is 0.</summary>
    public int ValidatingPolls { get; init; }

    /// <summary>Gets the number of polls that answer <c>in_progress</c>. The default is 1.</summary>
    public int InProgressPolls { get; init; } = 1;

    /// <summary>
    /// Gets the <c>custom_id</c>s of the lines that fail: they are not sent to the chat handler, and the error file
    /// holds them with <see cref="LineErrorCode"/> and <see cref="LineErrorMessage"/>. Empty by default.
    /// </summary>
    public IReadOnlyCollection<string> FailedLines { get; init; } = [];

    /// <summary>Gets the <c>error.code</c> of a scripted failed line. The default is <c>invalid_request</c>.</summary>
    public string LineErrorCode { get; init; } = "invalid_request";

    /// <summary>Gets the <c>error.message</c> of a scripted failed line; by default one that names the line's <c>custom_id</c>.</summary>
    public string? LineErrorMessage { get; init; }

    /// <summary>
    /// Gets the code of a validation error that makes the batch end <c>failed</c> with no output, for example
    /// <c>invalid_json_line</c>, or <see langword="null"/> (the default).
    /// </summary>
    public string? FailureCode { get; init; }

    /// <summary>Gets the message of the scripted validation error; by default one that names <see cref="FailureCode"/>.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>
    /// Gets the number of lines answered before the batch ends <c>expired</c> (the rest are not run), or
    /// <see langword="null"/> (the default) for a batch that does not expire.
    /// </summary>
    public int? ExpireAfterLines { get; init; }

    /// <summary>Creates a script for a batch that completes after <paramref name="inProgressPolls"/> polls in <c>in_progress</c>, failing the lines <paramref name="failedLines"/>.</summary>
    /// <param name="inProgressPolls">The number of polls in <c>in_progress</c>; 0 or more.</param>
    /// <param name="failedLines">The <c>custom_id</c>s of the lines that fail.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inProgressPolls"/> is negative.</exception>
    public static OpenAITestBatchScript Completing(int inProgressPolls = 1, params string[] failedLines) =>
        new() { InProgressPolls = Throw.IfLessThan(inProgressPolls, 0), FailedLines = [.. failedLines] };

    /// <summary>Creates a script for a batch that fails validation with <paramref name="code"/> and <paramref name="message"/>.</summary>
    /// <param name="code">The error code, for example <c>invalid_json_line</c>.</param>
    /// <param name="message">The error message; by default one that names the code.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is <see langword="null"/>, empty or whitespace.</exception>
    public static OpenAITestBatchScript Failing(string code, string? message = null) =>
        new() { FailureCode = Throw.IfNullOrWhitespace(code), FailureMessage = message };

    /// <summary>Creates a script for a batch that expires after answering its first <paramref name="completedLines"/> lines.</summary>
    /// <param name="completedLines">The number of lines answered before it expires; 0 or more.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="completedLines"/> is negative.</exception>
    public static OpenAITestBatchScript Expiring(int completedLines) => new() { ExpireAfterLines = Throw.IfLessThan(completedLines, 0) };

    /// <summary>Checks that the counts are not negative.</summary>
    internal void Validate()
    {
        Throw.IfLessThan(ValidatingPolls, 0);
        Throw.IfLessThan(InProgressPolls, 0);
        Throw.IfNull(FailedLines);
        Throw.IfNullOrWhitespace(LineErrorCode);
        if (ExpireAfterLines is { } lines)
        {
            Throw.IfLessThan(lines, 0);
        }
    }
}
