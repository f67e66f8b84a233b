using AiEng.Offline;

namespace AiEng.Tests.Offline;

public class SentenceSplitterTests
{
    [Fact]
    public void Splits_at_sentence_ends_but_not_after_abbreviations_initials_or_decimals()
    {
        var sentences = SentenceSplitter.Split("Use a model, e.g. GPT. Pi is 3.14 today! J. Smith agreed? Yes.").ToList();

        Assert.Equal(["Use a model, e.g. GPT.", "Pi is 3.14 today!", "J. Smith agreed?", "Yes."], sentences);
    }

    [Fact]
    public void Joins_wrapped_lines_and_splits_at_list_items_and_blank_lines()
    {
        var sentences = SentenceSplitter.Split("A sentence that is\nwrapped over two lines\n- first item\n- second item\n\nNew paragraph").ToList();

        Assert.Equal(["A sentence that is wrapped over two lines", "- first item", "- second item", "New paragraph"], sentences);
    }
}
