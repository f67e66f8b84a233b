using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval.Ingestion;

/// <summary>Documents and a recording embedding generator shared by the ingestion tests.</summary>
internal static class IngestionFixtures
{
    /// <summary>A document with one line per chunk (for <see cref="ParagraphChunker"/>).</summary>
    public static Document Doc(string id, params string[] lines) =>
        new(id, string.Join('\n', lines)) { Source = id + ".txt", Title = "Title of " + id };

    public static async IAsyncEnumerable<Document> Stream(params Document[] documents)
    {
        foreach (Document document in documents)
        {
            await Task.Yield();
            yield return document;
        }
    }

    /// <summary>A generator of <paramref name="dimensions"/>-dimension vectors (the text length, then ones) that records every batch size.</summary>
    public static TestEmbeddingGenerator Embedder(List<int>? batches = null, int dimensions = 4, Action? onCall = null) => new()
    {
        GenerateAsyncCallback = (values, _, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            onCall?.Invoke();
            string[] texts = [.. values];
            lock (batches ?? [])
            {
                batches?.Add(texts.Length);
            }

            var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Vector(t, dimensions))))
            {
                Usage = new UsageDetails { InputTokenCount = texts.Length },
            };
            return Task.FromResult(embeddings);
        },
    };

    public static float[] Vector(string text, int dimensions)
    {
        var vector = new float[dimensions];
        Array.Fill(vector, 1f);
        vector[0] = text.Length;
        return vector;
    }
}
