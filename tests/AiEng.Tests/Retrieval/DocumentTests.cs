using System.Security.Cryptography;
using System.Text;
using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval;

public class DocumentTests
{
    [Fact]
    public void Content_hash_is_the_lowercase_sha256_hex_of_the_utf8_text()
    {
        var document = new Document("a", "Grüße, world");

        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Grüße, world")));
        Assert.Equal(expected, document.ContentHash);
        Assert.Equal(64, document.ContentHash.Length);
        Assert.Same(document.ContentHash, document.ContentHash);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Content_hash_of_a_long_text_equals_the_hash_of_its_whole_utf8_encoding_wherever_surrogate_pairs_fall(int shift)
    {
        // Over 100,000 characters, hashed in slices: the 3-character period ("😀" is a surrogate pair, then "é") puts
        // some slice boundary inside a surrogate pair for any slice size, and the shift moves the pairs along.
        var builder = new StringBuilder(new string('a', shift));
        while (builder.Length < 100_000)
        {
            builder.Append("😀é");
        }

        string text = builder.ToString();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), new Document("a", text).ContentHash);
    }

    [Fact]
    public void Content_hash_of_an_empty_text_is_the_hash_of_no_bytes()
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), new Document("a", string.Empty).ContentHash);
    }

    [Fact]
    public void Documents_with_different_text_have_different_hashes()
    {
        Assert.NotEqual(new Document("a", "one").ContentHash, new Document("a", "two").ContentHash);
    }

    [Fact]
    public void Finds_the_section_that_contains_an_offset()
    {
        var document = new Document("a", "0123456789")
        {
            Sections = [new DocumentSection(0, 4) { HeadingPath = ["A"] }, new DocumentSection(4, 10) { HeadingPath = ["A", "B"], Page = 2 }],
        };

        Assert.Equal(["A"], document.FindSection(3)!.HeadingPath);
        Assert.Equal(["A", "B"], document.FindSection(4)!.HeadingPath);
        Assert.Equal(2, document.FindSection(9)!.Page);
        Assert.Null(document.FindSection(10));
        Assert.Null(new Document("b", "text").FindSection(0));
    }

    [Fact]
    public void Rejects_an_empty_id()
    {
        Assert.Throws<ArgumentException>(() => new Document(" ", "text"));
        Assert.Throws<ArgumentNullException>(() => new Document("a", null!));
    }
}
