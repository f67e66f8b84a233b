using AiEng.Shared;
using Microsoft.ML.Tokenizers;

namespace AiEng.Tokens;

/// <summary>
/// Counts tokens with one of OpenAI's Tiktoken encodings (<c>o200k_base</c> or <c>cl100k_base</c>), using
/// <see cref="TiktokenTokenizer"/> from Microsoft.ML.Tokenizers and the encoding data packages.
/// </summary>
/// <remarks>
/// <para>
/// Instances are thread-safe and shared: <see cref="O200kBase"/>, <see cref="Cl100kBase"/>, <see cref="ForEncoding"/> and
/// <see cref="ForModel"/> load each encoding once per process, on first use (loading takes a few hundred milliseconds).
/// </para>
/// <para>
/// Counts are exact for OpenAI models that use the encoding; for other providers' models they are an estimate.
/// Special-token text such as <c>&lt;|endoftext|&gt;</c> in the input counts as the one special token it names.
/// </para>
/// </remarks>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    /// <summary>The name of the encoding of GPT-4o, GPT-4.1, GPT-5 and the o-series reasoning models.</summary>
    public const string O200kBaseEncoding = "o200k_base";

    /// <summary>The name of the encoding of GPT-4, GPT-3.5 Turbo and the <c>text-embedding-3</c> / <c>ada-002</c> embedding models.</summary>
    public const string Cl100kBaseEncoding = "cl100k_base";

    // Model-id prefixes per encoding, checked in order: the o200k_base families first, so that "gpt-4o" and "gpt-4.1"
    // are not taken for the cl100k_base family "gpt-4".
    private static readonly string[] O200kPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"];
    private static readonly string[] Cl100kPrefixes = ["gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"];

    private static readonly Lazy<TiktokenTokenCounter> O200k = new(() => new TiktokenTokenCounter(O200kBaseEncoding));
    private static readonly Lazy<TiktokenTokenCounter> Cl100k = new(() => new TiktokenTokenCounter(Cl100kBaseEncoding));

    private TiktokenTokenCounter(string encodingName)
    {
        Name = encodingName;
        Tokenizer = TiktokenTokenizer.CreateForEncoding(encodingName);
    }

    /// <summary>Gets the shared counter for the <c>o200k_base</c> encoding.</summary>
    public static TiktokenTokenCounter O200kBase => O200k.Value;

    /// <summary>Gets the shared counter for the <c>cl100k_base</c> encoding.</summary>
    public static TiktokenTokenCounter Cl100kBase => Cl100k.Value;

    /// <summary>Gets the encoding name: <c>o200k_base</c> or <c>cl100k_base</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the underlying Microsoft.ML.Tokenizers tokenizer, for uses beyond counting (for example token-aware chunking).</summary>
    public TiktokenTokenizer Tokenizer { get; }

    /// <summary>Gets the shared counter for an encoding by name.</summary>
    /// <param name="encodingName"><c>o200k_base</c> or <c>cl100k_base</c> (case-insensitive).</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="encodingName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="encodingName"/> is not one of the supported encodings.</exception>
    public static TiktokenTokenCounter ForEncoding(string encodingName)
    {
        Throw.IfNull(encodingName);
        if (string.Equals(encodingName, O200kBaseEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return O200kBase;
        }

        if (string.Equals(encodingName, Cl100kBaseEncoding, StringComparison.OrdinalIgnoreCase))
        {
            return Cl100kBase;
        }

        throw new ArgumentException(
            $"Unknown Tiktoken encoding '{encodingName}'. Supported encodings: '{O200kBaseEncoding}', '{Cl100kBaseEncoding}'.",
            nameof(encodingName));
    }

    /// <summary>Gets the shared counter for the encoding a model uses (see <see cref="GetEncodingName"/>).</summary>
    /// <param name="modelId">The model id, for example <c>gpt-4o-mini</c>; <see langword="null"/> or unknown ids get <c>o200k_base</c>.</param>
    /// <returns>The counter.</returns>
    public static TiktokenTokenCounter ForModel(string? modelId) => ForEncoding(GetEncodingName(modelId));

    /// <summary>Gets the name of the Tiktoken encoding a model uses, by model family.</summary>
    /// <param name="modelId">The model id, for example <c>gpt-4o-mini-2024-07-18</c>, <c>openai/gpt-4.1</c> or <c>ft:gpt-4o-mini:org::id</c>.</param>
    /// <returns>
    /// <c>o200k_base</c> for the gpt-4o, chatgpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3 and o4 families; <c>cl100k_base</c> for
    /// gpt-4, gpt-3.5 (also Azure's <c>gpt-35</c>), text-embedding-3 and text-embedding-ada-002. Any other model (including
    /// other providers' models, whose tokenizers differ) gets <c>o200k_base</c> as an estimate.
    /// </returns>
    /// <remarks>
    /// Matching is a case-insensitive prefix match on the id, after removing a provider prefix up to the last <c>/</c> and
    /// the <c>ft:</c> prefix of fine-tuned models.
    /// </remarks>
    public static string GetEncodingName(string? modelId)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return O200kBaseEncoding;
        }

        ReadOnlySpan<char> id = modelId.AsSpan().Trim();
        int slash = id.LastIndexOf('/');
        if (slash >= 0)
        {
            id = id[(slash + 1)..];
        }

        if (id.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            id = id[3..];
        }

        foreach (string prefix in O200kPrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return O200kBaseEncoding;
            }
        }

        foreach (string prefix in Cl100kPrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return Cl100kBaseEncoding;
            }
        }

        return O200kBaseEncoding;
    }

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        Throw.IfNull(text);
        return Tokenizer.CountTokens(text);
    }

    /// <inheritdoc />
    /// <remarks>Each token id is decoded to its own text piece; a piece that holds only part of a multi-byte character shows as U+FFFD.</remarks>
    public IReadOnlyList<string> GetTokens(string text)
    {
        Throw.IfNull(text);
        IReadOnlyList<int> ids = Tokenizer.EncodeToIds(text);
        var tokens = new string[ids.Count];
        var single = new int[1];
        for (int i = 0; i < tokens.Length; i++)
        {
            single[0] = ids[i];
            tokens[i] = Tokenizer.Decode(single) ?? string.Empty;
        }

        return tokens;
    }
}
