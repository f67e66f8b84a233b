using AiEng.Inference;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;

namespace AiEng.Tests.Tokens;

public sealed class EmbeddingTokenWindowTests
{
    [Fact]
    public void Subtracts_each_kinds_prefix_from_the_window()
    {
        var counter = new WordTokenCounter();
        var window = new EmbeddingTokenWindow(counter, 254, queryPrefixTokens: 9, documentPrefixTokens: 2);

        Assert.Same(counter, window.TokenCounter);
        Assert.Equal(254, window.MaxTokens);
        Assert.Equal(245, window.GetMaxTokens(EmbeddingInputKind.Query));
        Assert.Equal(252, window.GetMaxTokens(EmbeddingInputKind.Document));
        Assert.Equal(254, window.GetMaxTokens(EmbeddingInputKind.Unspecified));
    }

    [Fact]
    public void Checks_its_arguments()
    {
        var counter = new WordTokenCounter();
        Assert.Throws<ArgumentNullException>("tokenCounter", () => new EmbeddingTokenWindow(null!, 10));
        Assert.Throws<ArgumentOutOfRangeException>("maxTokens", () => new EmbeddingTokenWindow(counter, 0));
        Assert.Throws<ArgumentOutOfRangeException>("queryPrefixTokens", () => new EmbeddingTokenWindow(counter, 10, queryPrefixTokens: 10));
        Assert.Throws<ArgumentOutOfRangeException>("documentPrefixTokens", () => new EmbeddingTokenWindow(counter, 10, documentPrefixTokens: -1));
    }
}
