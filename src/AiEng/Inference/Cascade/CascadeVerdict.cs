using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>The outcome of an <see cref="ICascadeAcceptanceCheck"/>: the answer is accepted, or rejected for a reason.</summary>
public sealed class CascadeVerdict
{
    private CascadeVerdict(string? reason) => Reason = reason;

    /// <summary>Gets the verdict that accepts the answer.</summary>
    public static CascadeVerdict Accept { get; } = new(null);

    /// <summary>Gets a value indicating whether the answer is accepted.</summary>
    public bool IsAccepted => Reason is null;

    /// <summary>
    /// Gets why the answer was rejected, or <see langword="null"/> when it was accepted. It is returned with the response
    /// (<see cref="CascadeProperties.Rejections"/>), but never logged, as it may quote the answer.
    /// </summary>
    public string? Reason { get; }

    /// <summary>Creates a verdict that rejects the answer, so that the cascade escalates.</summary>
    /// <param name="reason">Why, in a few words, for example <c>the answer is a refusal</c>.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty or whitespace.</exception>
    public static CascadeVerdict Reject(string reason) => new(Throw.IfNullOrWhitespace(reason));
}
