using AiEng.Offline;

namespace AiEng.Tests.Offline;

public class TermNormalizerTests
{
    [Fact]
    public void Lower_cases_drops_punctuation_and_stop_words()
    {
        Assert.Equal(["eiffel", "tower", "1889"], TermNormalizer.GetTerms("What is the EIFFEL Tower? (1889)"));
    }

    [Theory]
    [InlineData("models", "model")]
    [InlineData("studies", "study")]
    [InlineData("embeddings", "embed")]
    [InlineData("running", "run")]
    [InlineData("stopped", "stop")]
    [InlineData("boxes", "box")]
    [InlineData("class", "class")]
    [InlineData("quickly", "quick")]
    [InlineData("bus", "bus")]
    public void Strips_common_suffixes_lightly(string word, string stem)
    {
        Assert.Equal(stem, TermNormalizer.Stem(word));
    }
}
