namespace AiEng.Retrieval;

/// <summary>A document found by <see cref="Bm25Index{TDocument}.Search(string, int, Func{TDocument, bool}?)"/>.</summary>
/// <typeparam name="TDocument">The document payload.</typeparam>
/// <param name="Id">The document id.</param>
/// <param name="Document">The document payload.</param>
/// <param name="Score">The BM25 score.</param>
internal readonly record struct Bm25Hit<TDocument>(string Id, TDocument Document, float Score);
