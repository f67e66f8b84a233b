using AiEng.Retrieval;

namespace AiEng.Samples.Rag;

/// <summary>What one run of the sample did.</summary>
/// <param name="Ingestion">What the ingestion did (added, unchanged, ... documents).</param>
/// <param name="IndexedChunks">The number of chunks in the store after the ingestion (what the registered retriever's keyword index reads).</param>
/// <param name="Answers">The answers, in the order of the questions.</param>
internal sealed record RagRunResult(IngestionResult Ingestion, int IndexedChunks, IReadOnlyList<RagAnswer> Answers);
