using System.Net;
using System.Text.Json;
using AiEng.Samples.Tests.TestSupport;
using AiEng.Tests.TestSupport;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>The page in headless Chromium: a question typed and sent, the answer streamed in, its citations followed.</summary>
public sealed class WebChatPageTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    // What the page shows for answer number `index` (0-based), read in the page.
    private const string ReadAnswer = """
        (index => {
          const answer = document.querySelectorAll(".answer")[index];
          return {
            state: answer.dataset.state,
            tokens: Number(answer.dataset.tokens),
            text: answer.querySelector(".answer-text").textContent,
            elementsInText: answer.querySelector(".answer-text").querySelectorAll("*:not(a.marker)").length,
            sources: [...answer.querySelectorAll("a.source-link")].map(a => ({ href: a.href, text: a.textContent })),
            markers: [...answer.querySelectorAll("a.marker")].map(a => ({ href: a.href, text: a.textContent })),
            error: answer.querySelector(".error").hidden ? null : answer.querySelector(".error").textContent,
            usage: answer.querySelector(".usage").textContent,
          };
        })
        """;

    [ChromiumFact]
    public async Task A_question_typed_in_the_page_is_answered_in_streamed_pieces_with_a_citation_that_links_to_its_source()
    {
        await using ChromiumPage page = await ChromiumPage.OpenAsync(fixture.Server.Address);
        await page.WaitUntilAsync("document.readyState === 'complete' && document.getElementById('ask') !== null", AnswerTimeout);

        JsonElement answer = await AskAsync(page, "How long is the warranty of a router?", 0);

        Assert.Equal("done", answer.GetProperty("state").GetString());
        Assert.True(answer.GetProperty("tokens").GetInt32() > 1, answer.ToString());
        Assert.Contains("three years", answer.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Usage: 2 model calls, ", answer.GetProperty("usage").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("error").ValueKind);

        // The source list links each cited chunk; the one for the warranty opens a page with that part of warranty.md.
        JsonElement source = Assert.Single(answer.GetProperty("sources").EnumerateArray(), s => s.GetProperty("text").GetString() == "Warranty > Routers");
        string href = source.GetProperty("href").GetString()!;
        Assert.StartsWith(fixture.Server.Address + "source/", href, StringComparison.Ordinal);
        string cited = WebUtility.HtmlDecode(await fixture.Server.Client.GetStringAsync(new Uri(href)));
        Assert.Contains("<dd id=\"document\">warranty.md</dd>", cited, StringComparison.Ordinal);
        Assert.Contains("Every router comes with a warranty of three years from the date of purchase.", cited, StringComparison.Ordinal);

        // The [n] markers in the answer's text link to the same sources.
        Assert.Contains(answer.GetProperty("markers").EnumerateArray(), marker => marker.GetProperty("href").GetString() == href);
    }

    [ChromiumFact]
    public async Task Markup_in_the_documents_is_shown_as_text_and_a_follow_up_uses_the_conversation()
    {
        await using ChromiumPage page = await ChromiumPage.OpenAsync(fixture.Server.Address);
        await page.WaitUntilAsync("document.readyState === 'complete' && document.getElementById('ask') !== null", AnswerTimeout);

        JsonElement first = await AskAsync(page, "Can opened software be returned?", 0);
        JsonElement second = await AskAsync(page, "And within how many days can unused products be returned?", 1);

        // returns.md holds "<b>software</b>": the page shows the characters, it creates no element from them.
        Assert.Contains("<b>software</b>", first.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, first.GetProperty("elementsInText").GetInt32());
        Assert.Equal(0, await page.EvaluateAsync("document.querySelectorAll('.answer-text b').length") is { ValueKind: JsonValueKind.Number } count ? count.GetInt32() : -1);
        Assert.Equal("done", second.GetProperty("state").GetString());
        Assert.Contains("30 days", second.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await page.EvaluateAsync("Number(document.body.dataset.answers)")).GetInt32());
    }

    private static async Task<JsonElement> AskAsync(ChromiumPage page, string question, int index)
    {
        await page.EvaluateAsync($$"""
            (() => {
              document.getElementById("question").value = {{JsonSerializer.Serialize(question)}};
              document.getElementById("ask").requestSubmit();
            })()
            """);
        await page.WaitUntilAsync(
            $"document.querySelectorAll('.answer').length > {index} && ['done', 'error'].includes(document.querySelectorAll('.answer')[{index}].dataset.state)",
            AnswerTimeout);
        return await page.EvaluateAsync($"({ReadAnswer})({index})");
    }
}
