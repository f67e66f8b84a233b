using System.Text;

namespace AiEng.Benchmarks;

/// <summary>
/// Deterministic synthetic texts of mixed length, from a few words to abstracts of 300+ words, built from a small built-in
/// word list with a seeded <see cref="Random"/> (no external data).
/// </summary>
internal static class MixedLengthTexts
{
    private static readonly string[] Words =
    [
        "the", "a", "of", "and", "to", "in", "is", "for", "with", "on", "that", "by", "as", "from", "are", "was", "we", "this",
        "patients", "protein", "cells", "expression", "model", "data", "results", "study", "analysis", "treatment", "gene",
        "increased", "reduced", "significant", "clinical", "response", "risk", "effect", "associated", "levels", "human",
        "retrieval", "embedding", "vector", "search", "language", "transformer", "attention", "training", "evaluation",
        "inference", "latency", "throughput", "benchmark", "accuracy", "dataset", "document", "query", "ranking", "score",
        "mitochondrial", "phosphorylation", "immunotherapy", "cardiovascular", "neurodegeneration", "epidemiological",
        "randomized", "controlled", "trial", "cohort", "mortality", "incidence", "vaccine", "antibody", "receptor", "pathway",
        "inhibitor", "tumour", "microbiome", "genome", "sequencing", "variant", "mutation", "population", "survival",
        "algorithm", "network", "parameter", "gradient", "optimizer", "tokenizer", "sentence", "paragraph", "context",
        "observed", "measured", "compared", "demonstrated", "suggests", "indicates", "however", "therefore", "moreover",
        "approximately", "respectively", "furthermore", "nevertheless", "independent", "dependent", "baseline", "follow-up",
    ];

    /// <summary>Creates <paramref name="count"/> texts: half short (3-15 words), 30% medium (15-60), 15% long (60-150), 5% abstracts (300-400).</summary>
    /// <param name="count">The number of texts.</param>
    /// <param name="seed">The seed of the random generator.</param>
    /// <returns>The texts.</returns>
    public static string[] Create(int count, int seed)
    {
        var random = new Random(seed);
        var texts = new string[count];
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            double kind = random.NextDouble();
            int words = kind switch
            {
                < 0.50 => random.Next(3, 16),
                < 0.80 => random.Next(15, 61),
                < 0.95 => random.Next(60, 151),
                _ => random.Next(300, 401),
            };

            text.Clear();
            bool sentenceStart = true;
            for (int w = 0; w < words; w++)
            {
                string word = Words[random.Next(Words.Length)];
                if (w > 0)
                {
                    text.Append(' ');
                }

                text.Append(sentenceStart ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                sentenceStart = false;
                if (w == words - 1 || random.Next(12) == 0)
                {
                    text.Append(w < words - 1 && random.Next(8) == 0 ? ',' : '.');
                    sentenceStart = text[^1] == '.';
                }
            }

            texts[i] = text.ToString();
        }

        return texts;
    }
}
