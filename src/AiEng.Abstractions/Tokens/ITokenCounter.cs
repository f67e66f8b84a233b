namespace AiEng.Tokens;

/// <summary>Counts and splits text into the tokens of one tokenizer (a Tiktoken encoding, a BERT vocabulary, ...).</summary>
/// <remarks>
/// Implementations are thread-safe. Counts are exact for the tokenizer named by <see cref="Name"/>; they are an
/// estimate for any model that uses a different one.
/// </remarks>
public interface ITokenCounter
{
    /// <summary>Gets the name of the tokenizer, for example <c>o200k_base</c> or <c>bert-wordpiece</c>.</summary>
    string Name { get; }

    /// <summary>Counts the tokens of <paramref name="text"/>, without special tokens.</summary>
    /// <param name="text">The text to count.</param>
    /// <returns>The number of tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    int CountTokens(string text);

    /// <summary>Splits <paramref name="text"/> into its tokens, as the tokenizer shows them.</summary>
    /// <param name="text">The text to split.</param>
    /// <returns>The tokens in order; their count equals <see cref="CountTokens(string)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    IReadOnlyList<string> GetTokens(string text);
}
