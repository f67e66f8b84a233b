using Microsoft.ML.Tokenizers;

namespace AiEng.Onnx.Tests;

public sealed class MiniLmModelTests
{
    [Fact]
    public void Opens_the_uncased_WordPiece_vocabulary_of_30522_tokens()
    {
        using var reader = new StreamReader(MiniLmModel.OpenVocabulary());
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal(30522, lines.Count);
        Assert.Equal(101, lines.IndexOf("[CLS]"));
        Assert.Equal(102, lines.IndexOf("[SEP]"));
    }

    [Fact]
    public void Its_vocabulary_builds_a_BERT_tokenizer_that_splits_rare_words_into_pieces()
    {
        using var vocabulary = MiniLmModel.OpenVocabulary();
        var tokenizer = BertTokenizer.Create(vocabulary);

        var tokens = tokenizer.EncodeToTokens("Unaffable", out _).Select(t => t.Value);

        Assert.Equal(["una", "##ffa", "##ble"], tokens);
    }

    [Fact]
    public void Opens_the_ONNX_model()
    {
        using var model = MiniLmModel.OpenModel();

        Assert.True(model.Length > 80_000_000);
    }
}
