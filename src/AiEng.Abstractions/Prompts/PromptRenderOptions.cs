using AiEng.Tokens;

namespace AiEng.Prompts;

/// <summary>Options for one render of a prompt.</summary>
public sealed class PromptRenderOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether an unknown variable fails the render. Default <see langword="true"/>;
    /// when <see langword="false"/> it renders empty and adds a warning to <see cref="PromptRenderResult.Warnings"/>.
    /// </summary>
    public bool StrictVariables { get; set; } = true;

    /// <summary>
    /// Gets or sets the maximum number of input tokens of the rendered messages, or <see langword="null"/> (the default)
    /// for no budget. When set, inputs and role sections that declare a <c>priority</c> are cut, lowest priority first, until
    /// the messages fit: inputs are trimmed (a list loses items from its end), sections are dropped whole.
    /// </summary>
    public int? MaxInputTokens { get; set; }

    /// <summary>
    /// Gets or sets the tokenizer that counts tokens for the report and the budget, or <see langword="null"/> (the default)
    /// to count nothing unless <see cref="MaxInputTokens"/> is set, in which case the Tiktoken encoding of the prompt's model is used.
    /// </summary>
    public ITokenCounter? TokenCounter { get; set; }
}
