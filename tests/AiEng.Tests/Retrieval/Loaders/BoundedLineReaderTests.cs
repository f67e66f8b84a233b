using AiEng.Shared;

namespace AiEng.Tests.Retrieval.Loaders;

public sealed class BoundedLineReaderTests
{
    [Theory]
    [InlineData("a\nbb\r\nccc\rdddd", new[] { "a", "bb", "ccc", "dddd" })]
    [InlineData("a\n\nb\n", new[] { "a", "", "b" })]
    [InlineData("\r\n\r\n", new[] { "", "" })]
    [InlineData("", new string[0])]
    [InlineData("only", new[] { "only" })]
    public async Task Splits_lines_as_TextReader_ReadLine_does(string text, string[] expected)
    {
        Assert.Equal(expected, await ReadAllAsync(text, maxChars: 100));
        Assert.Equal(expected, await ReadWithTextReaderAsync(text));
    }

    [Fact]
    public async Task Splits_lines_the_same_across_its_buffer_boundaries()
    {
        // Lines of every length around the 16 Ki-character buffer, with each kind of line end falling on the boundary.
        var random = new Random(7);
        var text = new System.Text.StringBuilder();
        string[] ends = ["\n", "\r\n", "\r"];
        while (text.Length < 200_000)
        {
            text.Append('x', random.Next(0, 20_000)).Append(ends[random.Next(ends.Length)]);
        }

        Assert.Equal(await ReadWithTextReaderAsync(text.ToString()), await ReadAllAsync(text.ToString(), maxChars: 50_000));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_read_past_and_returned_as_too_long_with_its_length()
    {
        string text = "short\n" + new string('y', 100_000) + "\r\nafter";
        var reader = new BoundedLineReader(new StringReader(text), maxChars: 10);

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = await reader.ReadLineAsync(CancellationToken.None);
        var third = await reader.ReadLineAsync(CancellationToken.None);
        var end = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal(("short", false), (first.Text, first.TooLong));
        Assert.Equal((null, true, 100_000L), (second.Text, second.TooLong, second.Length));
        Assert.Equal(("after", false), (third.Text, third.TooLong));
        Assert.True(end.End);
        Assert.Equal(("0123456789", false), await FirstAsync("0123456789", maxChars: 10));
        Assert.True((await FirstAsync("0123456789A", maxChars: 10)).TooLong);
    }

    private static async Task<(string? Text, bool TooLong)> FirstAsync(string text, int maxChars)
    {
        var line = await new BoundedLineReader(new StringReader(text), maxChars).ReadLineAsync(CancellationToken.None);
        return (line.Text, line.TooLong);
    }

    private static async Task<List<string>> ReadAllAsync(string text, int maxChars)
    {
        var reader = new BoundedLineReader(new StringReader(text), maxChars);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { End: false } line)
        {
            Assert.False(line.TooLong);
            lines.Add(line.Text!);
        }

        return lines;
    }

    private static async Task<List<string>> ReadWithTextReaderAsync(string text)
    {
        using var reader = new StringReader(text);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
