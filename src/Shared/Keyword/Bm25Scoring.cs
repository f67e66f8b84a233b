namespace AiEng.Retrieval;

/// <summary>
/// The BM25 arithmetic shared by AiEng's keyword indexes (in memory and in the SQLite store), so that the same documents
/// get bit-identical scores wherever they are indexed. The parameters are Anserini's defaults unless a caller passes others.
/// </summary>
internal static class Bm25Scoring
{
    /// <summary>Lucene's non-negative idf: <c>ln(1 + (N - df + 0.5) / (df + 0.5))</c>.</summary>
    /// <param name="documents">N, the number of documents.</param>
    /// <param name="frequency">df, the number of documents that contain the term.</param>
    public static double Idf(int documents, int frequency) => Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));

    /// <summary>The length a document is scored with: its number of terms, or Lucene 4's one-byte rounding of it.</summary>
    public static double ScoredLength(int length, bool luceneLengthEncoding) => luceneLengthEncoding ? LuceneLength.Round(length) : length;

    /// <summary>
    /// One term's weight in one document: <c>idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))</c>, computed in
    /// double and rounded to float once, as every index accumulates it.
    /// </summary>
    public static float Weight(double idf, double tf, double scoredLength, double averageLength, double k1, double b)
    {
        double lengthNorm = averageLength > 0 ? k1 * (1 - b + (b * scoredLength / averageLength)) : k1;
        return (float)(idf * tf * (k1 + 1) / (tf + lengthNorm));
    }
}
