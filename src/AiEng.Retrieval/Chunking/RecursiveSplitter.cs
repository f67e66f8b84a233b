using AiEng.Tokens;

namespace AiEng.Retrieval;

/// <summary>
/// The token-aware recursive splitting shared by the chunkers: a range of text is cut into units that each fit the size
/// (paragraphs; paragraphs too large are cut into sentences, then lines, then words), and consecutive units are packed
/// into chunks of at most <c>size</c> tokens that repeat up to <c>overlap</c> tokens of the previous chunk.
/// </summary>
/// <remarks>
/// Unit and gap counts are summed as an estimate while packing; every chunk is then counted as one text and shrunk (its
/// last units given back) until it fits, since a tokenizer may count a joined text differently from its parts. Only a
/// single word larger than the size makes a chunk exceed it. Units are produced lazily, so memory follows one chunk, not
/// the document.
/// </remarks>
internal sealed class RecursiveSplitter(ITokenCounter counter, int size, int overlap)
{
    private const int WordLevel = 3;
    private const int MaxCharactersPerToken = 16;

    /// <summary>Splits <paramref name="range"/> of <paramref name="text"/> into chunk ranges, in order.</summary>
    public IEnumerable<TextRange> Split(string text, TextRange range)
    {
        var window = new List<Unit>();
        var pending = new Stack<Unit>();
        int carried = 0; // units at the start of the window repeated from the previous chunk
        int windowTokens = 0;
        int previousEnd = -1;
        using IEnumerator<TextRange> units = Decompose(text, TextBoundaries.Trim(text, range), 0).GetEnumerator();

        while (true)
        {
            Unit unit;
            bool more;
            if (pending.Count > 0)
            {
                unit = pending.Pop();
                more = true;
            }
            else if (units.MoveNext())
            {
                TextRange next = units.Current;
                int gap = previousEnd < 0 ? 0 : Count(text, new TextRange(previousEnd, next.Start));
                unit = new Unit(next, Count(text, next), gap);
                previousEnd = next.End;
                more = true;
            }
            else
            {
                unit = default;
                more = false;
            }

            bool overflows = more && window.Count > 0 && windowTokens + unit.GapBefore + unit.Tokens > size;
            if (window.Count > carried && (overflows || !more))
            {
                if (more)
                {
                    pending.Push(unit);
                }

                // Count the chunk as one text; give back its last units, or drop carried overlap, until it fits.
                while (true)
                {
                    if (Count(text, new TextRange(window[0].Range.Start, window[^1].Range.End)) <= size)
                    {
                        break;
                    }

                    if (window.Count - carried > 1)
                    {
                        pending.Push(window[^1]);
                        window.RemoveAt(window.Count - 1);
                    }
                    else if (carried > 0)
                    {
                        window.RemoveAt(0);
                        carried--;
                    }
                    else
                    {
                        break; // one word larger than the size
                    }
                }

                yield return new TextRange(window[0].Range.Start, window[^1].Range.End);

                // Keep the longest suffix within the overlap as the start of the next chunk, but never the whole chunk: a
                // chunk shorter than the overlap (cut short by a large unit after it) would otherwise be repeated whole at
                // the start of the next, which would then contain it.
                windowTokens = RemoveFirst(window, Sum(window));
                while (window.Count > 0 && windowTokens > overlap)
                {
                    windowTokens = RemoveFirst(window, windowTokens);
                }

                // The units' counts add up to about the count of their text: a tokenizer may merge or split across a
                // boundary. Counted as one text, as the chunk's size is, the carried suffix must fit the overlap too.
                while (window.Count > 0 && Count(text, new TextRange(window[0].Range.Start, window[^1].Range.End)) > overlap)
                {
                    windowTokens = RemoveFirst(window, windowTokens);
                }

                carried = window.Count;
                continue;
            }

            if (!more)
            {
                yield break;
            }

            // Overlap that leaves no room for new text is dropped.
            while (window.Count > 0 && window.Count == carried && windowTokens + unit.GapBefore + unit.Tokens > size)
            {
                windowTokens = RemoveFirst(window, windowTokens);
                carried--;
            }

            windowTokens += (window.Count > 0 ? unit.GapBefore : 0) + unit.Tokens;
            window.Add(unit);
        }
    }

    private IEnumerable<TextRange> Decompose(string text, TextRange range, int level)
    {
        if (range.Length == 0)
        {
            yield break;
        }

        // A range far longer than the size cannot fit (no tokenizer averages 16 characters a token on real text): split it
        // without counting, so a large document is never tokenized whole. Splitting a range that would have fit is harmless:
        // its pieces are packed together again.
        bool surelyTooLarge = level <= WordLevel && range.Length / MaxCharactersPerToken > size;
        if (level > WordLevel || (!surelyTooLarge && Count(text, range) <= size))
        {
            yield return range;
            yield break;
        }

        IEnumerable<TextRange> parts = level switch
        {
            0 => TextBoundaries.Paragraphs(text, range),
            1 => TextBoundaries.Sentences(text, range),
            2 => TextBoundaries.Lines(text, range),
            _ => TextBoundaries.Words(text, range),
        };

        foreach (TextRange part in parts)
        {
            foreach (TextRange unit in Decompose(text, part, level + 1))
            {
                yield return unit;
            }
        }
    }

    private int Count(string text, TextRange range) => range.Length == 0 ? 0 : counter.CountTokens(text.Substring(range.Start, range.Length));

    private static int Sum(List<Unit> window)
    {
        int sum = 0;
        for (int i = 0; i < window.Count; i++)
        {
            sum += window[i].Tokens + (i > 0 ? window[i].GapBefore : 0);
        }

        return sum;
    }

    private static int RemoveFirst(List<Unit> window, int windowTokens)
    {
        windowTokens -= window[0].Tokens + (window.Count > 1 ? window[1].GapBefore : 0);
        window.RemoveAt(0);
        return windowTokens;
    }

    private readonly record struct Unit(TextRange Range, int Tokens, int GapBefore);
}
