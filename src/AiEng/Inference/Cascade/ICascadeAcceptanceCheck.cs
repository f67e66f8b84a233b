namespace AiEng.Inference;

/// <summary>
/// Decides whether a cascade (<c>ChatClientBuilder.UseCascade</c>) may return a model's answer, or must escalate the request
/// to the next model. Checks run in the order they were added, and the first rejection escalates.
/// </summary>
/// <remarks>
/// Implementations are thread-safe: one check serves concurrent requests. An exception from a check propagates to the
/// caller (a failing check is a bug to see, not a reason to pay for a larger model).
/// </remarks>
public interface ICascadeAcceptanceCheck
{
    /// <summary>Checks one model's answer.</summary>
    /// <param name="attempt">The request, the model's answer, and the model's place in the cascade.</param>
    /// <param name="cancellationToken">A token that cancels the check.</param>
    /// <returns><see cref="CascadeVerdict.Accept"/>, or a rejection that says why.</returns>
    ValueTask<CascadeVerdict> CheckAsync(CascadeAttempt attempt, CancellationToken cancellationToken = default);
}
