using AiEng.Shared;

namespace AiEng.Prompts;

/// <summary>Selects the same examples for every input, in their given order.</summary>
public sealed class FixedExampleSelector : IExampleSelector
{
    private readonly IReadOnlyList<PromptExample> _examples;

    /// <summary>Initializes a new instance of the <see cref="FixedExampleSelector"/> class.</summary>
    /// <param name="examples">The examples to select, in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    public FixedExampleSelector(IEnumerable<PromptExample> examples)
    {
        Throw.IfNull(examples);
        _examples = [.. examples];
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PromptExample>> SelectAsync(string input, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(input);
        return new(_examples);
    }
}
