using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using AiEng.Shared;
using AiEng.Tokens;

namespace AiEng.Retrieval;

/// <summary>
/// Packs retrieved chunks into a context for a model: within a token budget, without repeated text, the most relevant
/// first to be kept, ordered so that the most relevant sit where models read best, and numbered for citation.
/// </summary>
/// <remarks>
/// <para>
/// Chunks are taken in the order given (most relevant first, as retrievers and rerankers return them). A chunk whose key
/// was seen, or whose range lies inside a kept chunk of the same document, is a duplicate. A chunk that overlaps a kept
/// chunk of the same document (by <see cref="ChunkRecord.StartOffset"/>/<see cref="ChunkRecord.EndOffset"/>) is merged
/// with it into one source covering both ranges (the kept chunk's place and the higher score), or dropped with
/// <see cref="ContextOverlapHandling.Drop"/>. Merging needs the chunk's content to be the last
/// <c>EndOffset - StartOffset</c> characters of its text (after any heading prefix), as AiEng's chunkers write it; chunks
/// that do not satisfy that are never merged, only dropped as duplicates.
/// </para>
/// <para>
/// A chunk (or the growth of a merged source) that does not fit in the remaining budget is dropped and packing goes on
/// with the next, smaller ones. Each source is counted as its block <c>[n] text</c> plus the separator; the reported
/// <see cref="PackedContext.TokenCount"/> is the count of the whole text, which can differ from the sum by a token at a join.
/// </para>
/// </remarks>
public sealed class ContextPacker
{
    private const string Separator = "\n\n";

    private readonly ITokenCounter _tokenCounter;
    private readonly ContextPackerOptions _options;
    private readonly int _overheadTokens;

    /// <summary>Initializes a new instance of the <see cref="ContextPacker"/> class.</summary>
    /// <param name="tokenCounter">Counts the tokens of the context, ideally with the target model's tokenizer.</param>
    /// <param name="options">The options (copied), or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenCounter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public ContextPacker(ITokenCounter tokenCounter, ContextPackerOptions? options = null)
    {
        _tokenCounter = Throw.IfNull(tokenCounter);
        _options = (options ?? new ContextPackerOptions()).Validate();
        _overheadTokens = _tokenCounter.CountTokens("[99] " + Separator);
    }

    /// <summary>Packs <paramref name="chunks"/>.</summary>
    /// <param name="chunks">The retrieved chunks, most relevant first.</param>
    /// <returns>The context, its citations and the chunks left out.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunks"/> or one of them is <see langword="null"/>.</exception>
    public PackedContext Pack(IReadOnlyList<RetrievedChunk> chunks)
    {
        Throw.IfNull(chunks);
        var sources = new List<Source>();
        var dropped = new List<DroppedChunk>();
        var keys = new HashSet<Guid>();
        int used = 0;
        foreach (var chunk in chunks)
        {
            Throw.IfNull(chunk, nameof(chunks));
            var candidate = Source.From(chunk, _options.ExpandSentenceWindows);
            int overlapping = sources.FindIndex(source => source.Overlaps(candidate));
            if (!keys.Add(chunk.Chunk.Key) || (overlapping >= 0 && (sources[overlapping].Contains(candidate) || _options.Overlap == ContextOverlapHandling.Drop || !candidate.CanMerge || !sources[overlapping].CanMerge)))
            {
                dropped.Add(new DroppedChunk(chunk, ContextDropReason.Duplicate));
                continue;
            }

            if (overlapping < 0)
            {
                candidate.Tokens = Count(candidate);
                if (used + candidate.Tokens > _options.MaxTokens)
                {
                    dropped.Add(new DroppedChunk(chunk, ContextDropReason.OverBudget));
                    keys.Remove(chunk.Chunk.Key);
                    continue;
                }

                sources.Add(candidate);
                used += candidate.Tokens;
                continue;
            }

            // Merge into the kept source, then absorb any other kept source of the document the merged range now reaches.
            var merged = sources[overlapping].Merge(candidate);
            var absorbed = new List<int>();
            for (int i = 0; i < sources.Count; i++)
            {
                if (i != overlapping && merged.Overlaps(sources[i]) && sources[i].CanMerge)
                {
                    merged = merged.Merge(sources[i]);
                    absorbed.Add(i);
                }
            }

            merged.Tokens = Count(merged);
            int freed = sources[overlapping].Tokens + absorbed.Sum(i => sources[i].Tokens);
            if (used - freed + merged.Tokens > _options.MaxTokens)
            {
                dropped.Add(new DroppedChunk(chunk, ContextDropReason.OverBudget));
                keys.Remove(chunk.Chunk.Key);
                continue;
            }

            used += merged.Tokens - freed;
            sources[overlapping] = merged;
            for (int i = absorbed.Count - 1; i >= 0; i--)
            {
                sources.RemoveAt(absorbed[i]);
            }
        }

        return Build(Arrange(sources), dropped);
    }

    private int Count(Source source) => _tokenCounter.CountTokens(source.Text) + _overheadTokens;

    private List<Source> Arrange(List<Source> sources)
    {
        switch (_options.Order)
        {
            case ContextOrder.Relevance:
                return sources;
            case ContextOrder.Document:
                return [.. sources.OrderBy(static s => s.DocumentId, StringComparer.Ordinal).ThenBy(static s => s.Start)];
            default:
                // Relevance order r0, r1, r2, ... becomes r0, r2, r4, ..., r5, r3, r1: the best at both edges.
                var front = sources.Where(static (_, i) => i % 2 == 0);
                var back = sources.Where(static (_, i) => i % 2 == 1).Reverse();
                return [.. front, .. back];
        }
    }

    private PackedContext Build(List<Source> sources, List<DroppedChunk> dropped)
    {
        var text = new StringBuilder();
        var citations = new List<Citation>(sources.Count);
        foreach (var source in sources)
        {
            int number = citations.Count + 1;
            if (text.Length > 0)
            {
                text.Append(Separator);
            }

            string body = source.Text.Trim();
            text.Append('[').Append(number).Append("] ").Append(body);
            var first = source.First;
            citations.Add(new Citation
            {
                Number = number,
                DocumentId = first.DocumentId,
                Title = first.Title,
                Source = first.Source,
                StartOffset = source.Start,
                EndOffset = source.End,
                HeadingPath = first.HeadingPath,
                Page = first.Page,
                Score = source.Score,
                ChunkKeys = source.Keys,
                Text = body,
            });
        }

        string context = text.ToString();
        return new PackedContext(context, citations, context.Length == 0 ? 0 : _tokenCounter.CountTokens(context), dropped);
    }

    /// <summary>A source being packed: one chunk, or several overlapping chunks of one document merged.</summary>
    private sealed class Source
    {
        private Source(ChunkRecord first, string prefix, string content, int start, int end, double score, IReadOnlyList<Guid> keys, bool canMerge)
        {
            First = first;
            Prefix = prefix;
            Content = content;
            Start = start;
            End = end;
            Score = score;
            Keys = keys;
            CanMerge = canMerge;
        }

        /// <summary>Gets the chunk that starts earliest in the document; its title, heading and page describe the source.</summary>
        public ChunkRecord First { get; }

        public string Prefix { get; }

        public string Content { get; }

        public int Start { get; }

        public int End { get; }

        public double Score { get; }

        public IReadOnlyList<Guid> Keys { get; }

        /// <summary>Gets a value indicating whether the content is known to be exactly the document's text in Start..End.</summary>
        public bool CanMerge { get; }

        public string DocumentId => First.DocumentId;

        public string Text => Prefix + Content;

        public int Tokens { get; set; }

        public static Source From(RetrievedChunk retrieved, bool expandWindows)
        {
            var chunk = retrieved.Chunk;
            if (expandWindows && TryGetWindow(chunk, out string? window, out int windowStart, out int windowEnd))
            {
                // The window is document.Text[windowStart..windowEnd], so it merges with overlapping sources like any chunk.
                return new Source(chunk, string.Empty, window, windowStart, windowEnd, retrieved.Score, [chunk.Key], canMerge: true);
            }

            int length = chunk.EndOffset - chunk.StartOffset;
            bool canMerge = chunk.StartOffset >= 0 && length >= 0 && chunk.Text.Length >= length;
            return canMerge
                ? new Source(chunk, chunk.Text[..^length], chunk.Text[^length..], chunk.StartOffset, chunk.EndOffset, retrieved.Score, [chunk.Key], canMerge: true)
                : new Source(chunk, string.Empty, chunk.Text, chunk.StartOffset, chunk.EndOffset, retrieved.Score, [chunk.Key], canMerge: false);
        }

        /// <summary>Reads the sentence window of <paramref name="chunk"/>: its text and offsets, consistent with each other.</summary>
        private static bool TryGetWindow(ChunkRecord chunk, [NotNullWhen(true)] out string? window, out int start, out int end)
        {
            (window, start, end) = (null, 0, 0);
            if (chunk.Metadata is not { } json || !json.Contains(SentenceWindowChunker.WindowKey, StringComparison.Ordinal))
            {
                return false;
            }

            IReadOnlyDictionary<string, string> metadata;
            try
            {
                metadata = chunk.GetMetadata();
            }
            catch (FormatException)
            {
                return false; // Metadata written by something else: give the chunk as it is.
            }

            if (!metadata.TryGetValue(SentenceWindowChunker.WindowKey, out string? text)
                || !metadata.TryGetValue(SentenceWindowChunker.WindowStartKey, out string? startText)
                || !metadata.TryGetValue(SentenceWindowChunker.WindowEndKey, out string? endText)
                || !int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out start)
                || !int.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out end)
                || end - start != text.Length)
            {
                return false;
            }

            window = text;
            return true;
        }

        /// <summary>Whether the two cover a common, non-empty part of the same document.</summary>
        public bool Overlaps(Source other) =>
            string.Equals(DocumentId, other.DocumentId, StringComparison.Ordinal) && Start < other.End && other.Start < End;

        public bool Contains(Source other) => other.Start >= Start && other.End <= End;

        /// <summary>Merges two overlapping, mergeable sources of one document: the union of their ranges, the earlier one's prefix.</summary>
        public Source Merge(Source other)
        {
            var (early, late) = Start <= other.Start ? (this, other) : (other, this);
            string content = late.End <= early.End ? early.Content : early.Content + late.Content[(early.End - late.Start)..];
            return new Source(early.First, early.Prefix, content, early.Start, Math.Max(early.End, late.End), Math.Max(Score, other.Score), [.. Keys, .. other.Keys], canMerge: true);
        }
    }
}
