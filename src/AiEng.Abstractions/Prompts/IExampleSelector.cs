namespace AiEng.Prompts;

/// <summary>Chooses the few-shot examples to show for an input.</summary>
public interface IExampleSelector
{
    /// <summary>Selects examples for <paramref name="input"/>.</summary>
    /// <param name="input">The input the model will answer (selectors that ignore it accept any text).</param>
    /// <param name="cancellationToken">A token that cancels the selection.</param>
    /// <returns>The selected examples, in the order to show them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    ValueTask<IReadOnlyList<PromptExample>> SelectAsync(string input, CancellationToken cancellationToken = default);
}
