using System.Collections.Frozen;

namespace AiEng.Retrieval;

/// <summary>
/// An immutable part of a <see cref="Bm25Index{TDocument}"/>: a batch of documents with their term-major postings (document
/// number and term frequency per posting) and lengths. A segment never changes; deleting one of its documents is recorded by
/// the index, and segments are merged into new ones.
/// </summary>
/// <typeparam name="TDocument">The document payload returned by searches.</typeparam>
internal sealed class Bm25Segment<TDocument>
{
    internal Bm25Segment(
        string[] ids,
        TDocument[] documents,
        int[] lengths,
        double[] scoredLengths,
        FrozenDictionary<string, int> termIds,
        string[] terms,
        int[] offsets,
        int[] postingDocuments,
        int[] postingFrequencies)
    {
        Ids = ids;
        Documents = documents;
        Lengths = lengths;
        ScoredLengths = scoredLengths;
        TermIds = termIds;
        Terms = terms;
        Offsets = offsets;
        PostingDocuments = postingDocuments;
        PostingFrequencies = postingFrequencies;
    }

    /// <summary>Gets the number of documents (slots) in the segment, deleted ones included.</summary>
    public int Count => Ids.Length;

    /// <summary>Gets the document ids by slot.</summary>
    public string[] Ids { get; }

    /// <summary>Gets the document payloads by slot.</summary>
    public TDocument[] Documents { get; }

    /// <summary>Gets the number of index terms of each document.</summary>
    public int[] Lengths { get; }

    /// <summary>Gets the length each document is scored with: its length, or Lucene's one-byte rounding of it.</summary>
    public double[] ScoredLengths { get; }

    /// <summary>Gets the term ids of the segment by term.</summary>
    public FrozenDictionary<string, int> TermIds { get; }

    /// <summary>Gets the terms by term id.</summary>
    public string[] Terms { get; }

    /// <summary>Gets where each term's postings start (term id) and end (term id + 1).</summary>
    public int[] Offsets { get; }

    /// <summary>Gets the slot of each posting, ascending within a term.</summary>
    public int[] PostingDocuments { get; }

    /// <summary>Gets the term frequency of each posting.</summary>
    public int[] PostingFrequencies { get; }
}
