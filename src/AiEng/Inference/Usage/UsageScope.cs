using AiEng.Shared;

namespace AiEng.Inference;

/// <summary>
/// Sets the caller tag (a feature, tenant or test name) of the model calls made in an asynchronous flow, for usage
/// records, totals and budgets: <c>using (UsageScope.Begin("checkout-bot")) { ... }</c>.
/// </summary>
/// <remarks>
/// A call's caller tag is, in order: the string in its options' <c>AdditionalProperties</c> under <see cref="CallerTagKey"/>;
/// the innermost active scope's tag; <see cref="UsageTrackingOptions.DefaultCallerTag"/>. Scopes flow with
/// <see cref="AsyncLocal{T}"/> and nest; disposing a scope restores the tag that was active when it began.
/// </remarks>
public sealed class UsageScope : IDisposable
{
    /// <summary>
    /// The key of <c>ChatOptions.AdditionalProperties</c> / <c>EmbeddingGenerationOptions.AdditionalProperties</c> whose
    /// string value tags a single call; it overrides the ambient scope.
    /// </summary>
    public const string CallerTagKey = "aieng.caller_tag";

    private static readonly AsyncLocal<string?> Current = new();

    private readonly string? _previous;
    private bool _disposed;

    private UsageScope(string callerTag, string? previous)
    {
        CallerTag = callerTag;
        _previous = previous;
    }

    /// <summary>Gets the caller tag of the innermost active scope, or <see langword="null"/> when there is none.</summary>
    public static string? CurrentCallerTag => Current.Value;

    /// <summary>Gets the caller tag this scope sets.</summary>
    public string CallerTag { get; }

    /// <summary>Begins a scope whose model calls are tagged <paramref name="callerTag"/> until it is disposed.</summary>
    /// <param name="callerTag">The tag, for example <c>checkout-bot</c>. It appears in records and metrics: never put personal data or secrets in it.</param>
    /// <returns>The scope; dispose it to end it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callerTag"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="callerTag"/> is empty or whitespace.</exception>
    public static UsageScope Begin(string callerTag)
    {
        Throw.IfNullOrWhitespace(callerTag);
        var scope = new UsageScope(callerTag, Current.Value);
        Current.Value = callerTag;
        return scope;
    }

    /// <summary>Ends the scope, restoring the caller tag that was active when it began.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Current.Value = _previous;
        }
    }
}
