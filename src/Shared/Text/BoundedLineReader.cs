using System.Text;

namespace AiEng.Shared;

/// <summary>
/// Reads lines from a <see cref="TextReader"/> like <see cref="TextReader.ReadLineAsync(CancellationToken)"/> (a line ends at
/// <c>\n</c>, <c>\r\n</c> or <c>\r</c>), but never holds more than a given number of characters of one line: the rest of a
/// longer line is read past and dropped, and the line is returned as too long.
/// </summary>
internal sealed class BoundedLineReader
{
    private readonly TextReader _reader;
    private readonly int _maxChars;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _count;
    private bool _skipLineFeed;

    /// <summary>Initializes a new instance of the <see cref="BoundedLineReader"/> class.</summary>
    /// <param name="reader">The reader; not disposed by this one.</param>
    /// <param name="maxChars">The most characters of one line that are kept.</param>
    public BoundedLineReader(TextReader reader, int maxChars)
    {
        _reader = reader;
        _maxChars = maxChars;
    }

    /// <summary>Reads the next line.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>
    /// The line without its end (<see langword="null"/> at the end of the text), or, for a line longer than the limit,
    /// <see langword="null"/> text with <c>TooLong</c> set and the line's full length.
    /// </returns>
    public async ValueTask<(string? Text, bool TooLong, long Length, bool End)> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        long length = 0;
        bool any = false;
        while (true)
        {
            if (_position == _count)
            {
                _count = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                _position = 0;
                if (_count == 0)
                {
                    return any ? Finish(length) : (null, false, 0, true);
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            any = true;
            int start = _position;
            int found = _buffer.AsSpan(start, _count - start).IndexOfAny('\n', '\r');
            int end = found < 0 ? -1 : start + found;
            int stop = end < 0 ? _count : end;
            Append(start, stop - start);
            length += stop - start;
            if (end < 0)
            {
                _position = _count;
                continue;
            }

            _position = end + 1;
            _skipLineFeed = _buffer[end] == '\r';
            return Finish(length);
        }
    }

    private void Append(int start, int count)
    {
        int room = _maxChars - _line.Length;
        if (room > 0)
        {
            _line.Append(_buffer, start, Math.Min(room, count));
        }
    }

    private (string? Text, bool TooLong, long Length, bool End) Finish(long length) =>
        length > _maxChars ? (null, true, length, false) : (_line.ToString(), false, length, false);
}
