using System.Text;
using AiEng.Tokens;
using Microsoft.ML.Tokenizers;

namespace AiEng.Tests.Tokens;

public sealed class BertTokenCounterTests
{
    private const string Vocabulary = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n,\n!\ncafe\nun\n##believ\n##able\n";

    [Fact]
    public void Lower_cases_splits_punctuation_and_excludes_special_tokens()
    {
        BertTokenCounter counter = CreateCounter();

        Assert.Equal(["hello", ",", "world", "!"], counter.GetTokens("Hello, World!"));
        Assert.Equal(4, counter.CountTokens("Hello, World!"));
        Assert.Equal(BertTokenCounter.WordPieceName, counter.Name);
    }

    [Fact]
    public void Strips_accents_and_splits_words_into_word_pieces()
    {
        BertTokenCounter counter = CreateCounter();

        Assert.Equal(["cafe", "un", "##believ", "##able", "!"], counter.GetTokens("Café unbelievable!"));
        Assert.Equal(5, counter.CountTokens("Café unbelievable!"));
    }

    [Fact]
    public void Counts_a_word_missing_from_the_vocabulary_as_one_unknown_token()
    {
        BertTokenCounter counter = CreateCounter();

        Assert.Equal(["[UNK]", "hello"], counter.GetTokens("xyz hello"));
        Assert.Equal(2, counter.CountTokens("xyz hello"));
    }

    [Fact]
    public void Counts_two_fewer_tokens_than_the_model_input_with_CLS_and_SEP()
    {
        BertTokenCounter counter = CreateCounter();

        Assert.Equal(counter.Tokenizer.EncodeToIds("hello world").Count - 2, counter.CountTokens("hello world"));
    }

    [Fact]
    public void Loads_the_vocabulary_from_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aieng-vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, Vocabulary);
        try
        {
            Assert.Equal(2, BertTokenCounter.Create(path).CountTokens("HELLO WORLD"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reports_a_missing_vocabulary_file_by_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aieng-missing-{Guid.NewGuid():N}.txt");

        var ex = Assert.Throws<FileNotFoundException>(() => BertTokenCounter.Create(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wraps_an_existing_tokenizer_and_counts_as_it_is_configured()
    {
        // A cased tokenizer over the uncased vocabulary: "Hello" is not in it, where Create(stream) would lower-case it first.
        BertTokenizer tokenizer = BertTokenizer.Create(new MemoryStream(Encoding.UTF8.GetBytes(Vocabulary)), new BertOptions { LowerCaseBeforeTokenization = false });

        BertTokenCounter counter = BertTokenCounter.Create(tokenizer);

        Assert.Same(tokenizer, counter.Tokenizer);
        Assert.Equal(["[UNK]", "world"], counter.GetTokens("Hello world"));
        Assert.Equal(2, counter.CountTokens("Hello world"));
        Assert.Throws<ArgumentNullException>("tokenizer", () => BertTokenCounter.Create((BertTokenizer)null!));
    }

    private static BertTokenCounter CreateCounter() => BertTokenCounter.Create(new MemoryStream(Encoding.UTF8.GetBytes(Vocabulary)));
}
