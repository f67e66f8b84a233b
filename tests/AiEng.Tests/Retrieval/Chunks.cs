using AiEng.Retrieval;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Retrieval;

/// <summary>Builders of <see cref="ChunkRecord"/>s and <see cref="RetrievedChunk"/> lists for retrieval tests.</summary>
internal static class Chunks
{
    /// <summary>A record of chunk <paramref name="index"/> of <paramref name="documentId"/>, its offsets by default as if chunks were laid end to end.</summary>
    public static ChunkRecord Record(string documentId, int index, string text, int? start = null, string? title = null) => new()
    {
        Key = ChunkRecord.CreateKey(documentId, index),
        DocumentId = documentId,
        ChunkIndex = index,
        Text = text,
        Title = title,
        Source = $"docs/{documentId}.md",
        StartOffset = start ?? index * 1000,
        EndOffset = (start ?? index * 1000) + text.Length,
    };

    /// <summary>Retrieved chunks with descending scores 1, 0.9, 0.8, ...</summary>
    public static IReadOnlyList<RetrievedChunk> Ranked(params ChunkRecord[] records) =>
        records.Select((record, i) => new RetrievedChunk(record, 1 - (0.1 * i))).ToArray();

    /// <summary>A generator of hashed bag-of-words vectors, so similar words give similar vectors.</summary>
    public static TestEmbeddingGenerator BagOfWords() => TestEmbeddingGenerator.FromFunction(text => TestVectors.HashedBagOfWords(text, 256));

    /// <summary>A retriever that returns fixed lists, by query, and records the queries it was asked.</summary>
    public static FixedRetriever Fixed(Dictionary<string, ChunkRecord[]> byQuery) => new(byQuery);

    /// <summary>
    /// The chunks as <c>"{documentId}#{index}"</c> labels, readable in assertions; each chunk's key is checked to be the
    /// GUID <see cref="ChunkRecord.CreateKey"/> derives from them, so a label stands for its key.
    /// </summary>
    public static IEnumerable<string> Keys(this IEnumerable<RetrievedChunk> chunks) => chunks.Select(c => Label(c.Chunk));

    /// <summary>The <c>"{documentId}#{index}"</c> label of <paramref name="record"/>, after checking that its key is derived from them.</summary>
    public static string Label(ChunkRecord record)
    {
        Assert.Equal(ChunkRecord.CreateKey(record.DocumentId, record.ChunkIndex), record.Key);
        return $"{record.DocumentId}#{record.ChunkIndex}";
    }

    /// <summary>The keys of the chunks <paramref name="labels"/> name, in order.</summary>
    public static Guid[] KeysOf(params string[] labels) => [.. labels.Select(KeyOf)];

    /// <summary>The key of the chunk a <c>"{documentId}#{index}"</c> label names.</summary>
    public static Guid KeyOf(string label)
    {
        int hash = label.LastIndexOf('#');
        return ChunkRecord.CreateKey(label[..hash], int.Parse(label[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    internal sealed class FixedRetriever(Dictionary<string, ChunkRecord[]> byQuery) : IRetriever
    {
        public List<(string Query, int Top)> Calls { get; } = [];

        public List<RetrievalRequest> Requests { get; } = [];

        public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add((request.Query, request.Top));
                Requests.Add(request);
            }

            var records = byQuery.GetValueOrDefault(request.Query) ?? [];
            return Task.FromResult(Ranked(records).Take(request.Top).ToList() as IReadOnlyList<RetrievedChunk>);
        }
    }
}
