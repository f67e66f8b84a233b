using AiEng.Shared;
using AiEng.Tokens;

namespace AiEng.Prompts;

/// <summary>
/// Keeps as many of another selector's examples as fit in a token budget, in that selector's order: an example that does
/// not fit is skipped and smaller ones after it may still be taken.
/// </summary>
/// <remarks>
/// An example costs the tokens of its input and output plus the framing of the user and assistant messages it renders to
/// (<see cref="ChatTokenEstimator.TokensPerMessage"/> and the role, twice), as an <c>examples:</c> section renders it.
/// </remarks>
public sealed class TokenBudgetExampleSelector : IExampleSelector
{
    private readonly IExampleSelector _inner;
    private readonly ITokenCounter _counter;
    private readonly int _maxTokens;

    /// <summary>Initializes a new instance of the <see cref="TokenBudgetExampleSelector"/> class.</summary>
    /// <param name="inner">The selector whose examples are filtered, for example a <see cref="SemanticExampleSelector"/> with a generous <c>k</c>.</param>
    /// <param name="counter">The tokenizer of the target model.</param>
    /// <param name="maxTokens">The token budget for all selected examples.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="counter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is below 1.</exception>
    public TokenBudgetExampleSelector(IExampleSelector inner, ITokenCounter counter, int maxTokens)
    {
        _inner = Throw.IfNull(inner);
        _counter = Throw.IfNull(counter);
        _maxTokens = Throw.IfLessThan(maxTokens, 1);
    }

    /// <summary>Counts the tokens one example costs when rendered as a user and an assistant message.</summary>
    /// <param name="counter">The tokenizer.</param>
    /// <param name="example">The example.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static int CountTokens(ITokenCounter counter, PromptExample example)
    {
        Throw.IfNull(counter);
        Throw.IfNull(example);
        return (2 * ChatTokenEstimator.TokensPerMessage) + counter.CountTokens("user") + counter.CountTokens("assistant")
            + counter.CountTokens(example.Input) + counter.CountTokens(example.Output);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PromptExample>> SelectAsync(string input, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(input);
        IReadOnlyList<PromptExample> candidates = await _inner.SelectAsync(input, cancellationToken).ConfigureAwait(false);
        var kept = new List<PromptExample>(candidates.Count);
        int left = _maxTokens;
        foreach (PromptExample example in candidates)
        {
            int cost = CountTokens(_counter, example);
            if (cost <= left)
            {
                kept.Add(example);
                left -= cost;
            }
        }

        return kept;
    }
}
