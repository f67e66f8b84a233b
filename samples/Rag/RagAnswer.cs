using AiEng.Retrieval;

namespace AiEng.Samples.Rag;

/// <summary>One answered question.</summary>
/// <param name="Question">The question.</param>
/// <param name="Text">The answer.</param>
/// <param name="Citations">The sources the answer cites.</param>
/// <param name="Retrieved">The chunks the retriever returned for the question, best first, with their fused scores.</param>
/// <param name="Query">The query searched for the question, and how it was formed from the conversation.</param>
internal sealed record RagAnswer(string Question, string Text, IReadOnlyList<Citation> Citations, IReadOnlyList<RetrievedChunk> Retrieved, RetrievalQuery? Query);
