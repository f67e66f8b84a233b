namespace AiEng.Inference;

/// <summary>An acceptance check from a predicate (<see cref="CascadeOptions.AcceptWhen(Func{CascadeAttempt, bool}, string)"/>).</summary>
internal sealed class PredicateAcceptanceCheck(Func<CascadeAttempt, CancellationToken, ValueTask<bool>> predicate, CascadeVerdict rejection) : ICascadeAcceptanceCheck
{
    public async ValueTask<CascadeVerdict> CheckAsync(CascadeAttempt attempt, CancellationToken cancellationToken = default) =>
        await predicate(attempt, cancellationToken).ConfigureAwait(false) ? CascadeVerdict.Accept : rejection;
}
