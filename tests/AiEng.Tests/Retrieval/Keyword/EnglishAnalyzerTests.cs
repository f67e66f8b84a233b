using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Keyword;

public class EnglishAnalyzerTests
{
    [Fact]
    public void Tokenises_lower_cases_drops_possessives_and_stop_words_and_stems()
    {
        var terms = EnglishAnalyzer.Analyze("The cat's toys, e.g. RATES of 3.5% and 1,000 don't-stop Ponies!");

        // the/of/and are stop words; "cat's" loses 's; "toys" -> "toy" -> "toi" (step 1c); "e.g." keeps its inner full stop;
        // "3.5" and "1,000" stay whole; "don't" keeps its apostrophe; the hyphen separates "don't" and "stop".
        Assert.Equal(["cat", "toi", "e.g", "rate", "3.5", "1,000", "don't", "stop", "poni"], terms);
    }

    [Fact]
    public void Splits_at_punctuation_that_is_not_between_letters_or_digits()
    {
        Assert.Equal(["covid19", "il", "6", "a_b", "x", "y"], EnglishAnalyzer.Analyze("COVID19/IL-6 (a_b) x. y"));
    }

    [Fact]
    public void Removes_all_33_of_Lucenes_english_stop_words()
    {
        Assert.Equal(33, EnglishAnalyzer.StopWords.Count);
        Assert.Empty(EnglishAnalyzer.Analyze(string.Join(' ', EnglishAnalyzer.StopWords).ToUpperInvariant()));
        Assert.Equal(["which"], EnglishAnalyzer.Analyze("which"));
    }
}
