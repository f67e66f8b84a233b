using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AiEng.Retrieval;

namespace AiEng.Samples.WebChat;

/// <summary>The page of one cited chunk (<c>GET /source/{key}</c>): where it comes from and its text, every value HTML-encoded.</summary>
internal static class SourcePage
{
    /// <summary>Renders <paramref name="chunk"/>.</summary>
    public static string Render(ChunkRecord chunk)
    {
        HtmlEncoder html = HtmlEncoder.Default;
        string title = chunk.Title ?? chunk.DocumentId;
        var page = new StringBuilder();
        page.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(html.Encode(title)).Append(" - source</title><link rel=\"stylesheet\" href=\"/chat.css\"></head><body class=\"source\">\n")
            .Append("<p><a href=\"/\">Back to the chat</a></p>\n")
            .Append("<h1>").Append(html.Encode(title)).Append("</h1>\n<dl>")
            .Append("<dt>Document</dt><dd id=\"document\">").Append(html.Encode(chunk.DocumentId)).Append("</dd>")
            .Append("<dt>Section</dt><dd id=\"section\">").Append(html.Encode(chunk.HeadingPath ?? "(none)")).Append("</dd>")
            .Append("<dt>Characters</dt><dd id=\"offsets\">")
            .Append(string.Create(CultureInfo.InvariantCulture, $"{chunk.StartOffset}-{chunk.EndOffset} (chunk {chunk.ChunkIndex})")).Append("</dd>")
            .Append("</dl>\n<pre id=\"chunk-text\">").Append(html.Encode(chunk.Text)).Append("</pre>\n</body></html>\n");
        return page.ToString();
    }
}
