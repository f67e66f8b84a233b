using AiEng.Shared;
using Microsoft.ML.Tokenizers;

namespace AiEng.Tokens;

/// <summary>
/// Counts tokens with a BERT WordPiece vocabulary (a <c>vocab.txt</c> file, one token per line), tokenising like BERT
/// uncased: basic tokenisation (whitespace and punctuation splitting, CJK characters apart), lower case and accents
/// stripped, then WordPiece. Built on <see cref="BertTokenizer"/> from Microsoft.ML.Tokenizers.
/// </summary>
/// <remarks>
/// Counts and tokens exclude the special tokens a model input adds (<c>[CLS]</c> and <c>[SEP]</c>): add two for the
/// length of an encoder input. Instances are thread-safe.
/// </remarks>
public sealed class BertTokenCounter : ITokenCounter
{
    /// <summary>The <see cref="Name"/> of every BERT WordPiece counter.</summary>
    public const string WordPieceName = "bert-wordpiece";

    private BertTokenCounter(BertTokenizer tokenizer)
    {
        Tokenizer = tokenizer;
    }

    /// <summary>Gets <c>bert-wordpiece</c>.</summary>
    public string Name => WordPieceName;

    /// <summary>Gets the underlying Microsoft.ML.Tokenizers tokenizer, for example to build model inputs with special tokens.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>Creates a counter from a WordPiece vocabulary stream.</summary>
    /// <param name="vocabulary">The <c>vocab.txt</c> content (UTF-8, one token per line, with <c>[UNK]</c>, <c>[CLS]</c>, <c>[SEP]</c>, <c>[PAD]</c> and <c>[MASK]</c>). The caller keeps ownership of the stream.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is <see langword="null"/>.</exception>
    public static BertTokenCounter Create(Stream vocabulary)
    {
        Throw.IfNull(vocabulary);
        return new BertTokenCounter(BertTokenizer.Create(vocabulary, CreateOptions()));
    }

    /// <summary>Creates a counter from a WordPiece vocabulary file.</summary>
    /// <param name="vocabularyPath">The path of the <c>vocab.txt</c> file.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabularyPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="vocabularyPath"/> is empty or whitespace.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static BertTokenCounter Create(string vocabularyPath)
    {
        Throw.IfNullOrWhitespace(vocabularyPath);
        if (!File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"The BERT vocabulary file '{vocabularyPath}' does not exist.", vocabularyPath);
        }

        using FileStream stream = File.OpenRead(vocabularyPath);
        return Create(stream);
    }

    /// <summary>
    /// Creates a counter over an existing tokenizer, so that counts are exactly those of a model that tokenizes with it
    /// (AiEng.Onnx's embedding generator offers its own this way).
    /// </summary>
    /// <param name="tokenizer">The tokenizer, used as it is configured (casing, accents, CJK and special-token handling).</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    public static BertTokenCounter Create(BertTokenizer tokenizer) => new(Throw.IfNull(tokenizer));

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        Throw.IfNull(text);
        return Tokenizer.EncodeToIds(text, addSpecialTokens: false).Count;
    }

    /// <inheritdoc />
    /// <remarks>Continuation pieces keep their <c>##</c> prefix; words missing from the vocabulary show as <c>[UNK]</c>.</remarks>
    public IReadOnlyList<string> GetTokens(string text)
    {
        Throw.IfNull(text);
        IReadOnlyList<EncodedToken> encoded = Tokenizer.EncodeToTokens(text, out _);
        var tokens = new string[encoded.Count];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = encoded[i].Value;
        }

        return tokens;
    }

    private static BertOptions CreateOptions() => new()
    {
        LowerCaseBeforeTokenization = true,
        RemoveNonSpacingMarks = true,
        ApplyBasicTokenization = true,
    };
}
