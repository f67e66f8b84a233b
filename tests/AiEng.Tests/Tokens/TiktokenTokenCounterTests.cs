using AiEng.Tokens;

namespace AiEng.Tests.Tokens;

public sealed class TiktokenTokenCounterTests
{
    // Known counts of the real encodings; each is cross-checked against the tokenizer's own EncodeToIds below.
    [Theory]
    [InlineData("o200k_base", "hello world", 2)]
    [InlineData("cl100k_base", "hello world", 2)]
    [InlineData("o200k_base", "Hello, world!", 4)]
    [InlineData("cl100k_base", "Hello, world!", 4)]
    [InlineData("cl100k_base", "tiktoken is great!", 6)]
    [InlineData("o200k_base", "tiktoken is great!", 6)]
    [InlineData("o200k_base", "The quick brown fox jumps over the lazy dog.", 10)]
    [InlineData("cl100k_base", "antidisestablishmentarianism", 6)]
    [InlineData("o200k_base", "café naïve 東京", 5)]
    [InlineData("cl100k_base", "café naïve 東京", 7)]
    [InlineData("o200k_base", "", 0)]
    public void Counts_known_texts_exactly(string encoding, string text, int expected)
    {
        TiktokenTokenCounter counter = TiktokenTokenCounter.ForEncoding(encoding);

        Assert.Equal(expected, counter.CountTokens(text));
        Assert.Equal(expected, counter.Tokenizer.EncodeToIds(text).Count);
        Assert.Equal(encoding, counter.Name);
    }

    [Fact]
    public void Encodes_hello_world_to_the_published_ids()
    {
        Assert.Equal([15339, 1917], TiktokenTokenCounter.Cl100kBase.Tokenizer.EncodeToIds("hello world"));
        Assert.Equal([83, 1609, 5963, 374, 2294, 0], TiktokenTokenCounter.Cl100kBase.Tokenizer.EncodeToIds("tiktoken is great!"));
    }

    [Fact]
    public void Splits_text_into_decoded_pieces()
    {
        Assert.Equal(["hello", " world"], TiktokenTokenCounter.O200kBase.GetTokens("hello world"));
        Assert.Equal(["t", "ik", "token", " is", " great", "!"], TiktokenTokenCounter.Cl100kBase.GetTokens("tiktoken is great!"));
    }

    [Fact]
    public void Returns_as_many_pieces_as_it_counts_tokens()
    {
        const string Text = "café naïve 東京";
        Assert.Equal(TiktokenTokenCounter.Cl100kBase.CountTokens(Text), TiktokenTokenCounter.Cl100kBase.GetTokens(Text).Count);
    }

    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base")]
    [InlineData("GPT-4.1-nano", "o200k_base")]
    [InlineData("o1-mini", "o200k_base")]
    [InlineData("o3", "o200k_base")]
    [InlineData("o4-mini", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("openai/gpt-4o", "o200k_base")]
    [InlineData("ft:gpt-4o-mini-2024-07-18:org::abc123", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("gpt-35-turbo", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base")]
    [InlineData("text-embedding-ada-002", "cl100k_base")]
    [InlineData("llama3.2", "o200k_base")]
    [InlineData(null, "o200k_base")]
    public void Chooses_the_encoding_by_model_family(string? model, string expected)
    {
        Assert.Equal(expected, TiktokenTokenCounter.GetEncodingName(model));
        Assert.Equal(expected, TiktokenTokenCounter.ForModel(model).Name);
    }

    [Fact]
    public void Shares_one_instance_per_encoding()
    {
        Assert.Same(TiktokenTokenCounter.O200kBase, TiktokenTokenCounter.ForModel("gpt-4o"));
        Assert.Same(TiktokenTokenCounter.Cl100kBase, TiktokenTokenCounter.ForEncoding("CL100K_BASE"));
    }

    [Fact]
    public void Rejects_an_unknown_encoding_listing_the_supported_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => TiktokenTokenCounter.ForEncoding("p50k_base"));
        Assert.Contains("o200k_base", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cl100k_base", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_null_text()
    {
        Assert.Throws<ArgumentNullException>(() => TiktokenTokenCounter.O200kBase.CountTokens(null!));
        Assert.Throws<ArgumentNullException>(() => TiktokenTokenCounter.O200kBase.GetTokens(null!));
    }
}
