using AiEng.Tokens;

namespace AiEng.Tests.TestSupport;

/// <summary>A token counter for tests: one token per whitespace-separated word.</summary>
internal sealed class WordTokenCounter : ITokenCounter
{
    public string Name => "words";

    public int CountTokens(string text) => GetTokens(text).Count;

    public IReadOnlyList<string> GetTokens(string text) =>
        (text ?? throw new ArgumentNullException(nameof(text))).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
