using System.Text;
using System.Text.RegularExpressions;
using AiEng.Evaluation;

namespace AiEng.Tests.Evaluation.Judges;

public sealed class JudgeOutputTests
{
    // The regular expression StripCodeFence used to be: the reference its one-pass replacement must agree with.
    private static readonly Regex Reference = new(@"```[A-Za-z0-9_-]*\s*\n(?<body>[\s\S]*?)\n?```", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("```json\n{\"score\": 4}\n```", "{\"score\": 4}")]
    [InlineData("Here it is:\n```\n{\"a\": 1}\n```\nthanks", "{\"a\": 1}")]
    [InlineData("```json {\"a\": 1}```", "```json {\"a\": 1}```")]
    [InlineData("````json\n{}\n````", "{}")]
    [InlineData("```json  \n\n  {\"a\": 1}```", "{\"a\": 1}")]
    [InlineData("```json\n{\"a\": 1}", "```json\n{\"a\": 1}")]
    [InlineData("  plain {\"a\": 1}  ", "plain {\"a\": 1}")]
    [InlineData("```x\n```\n```y\nsecond\n```", "")]
    public void Strips_the_first_code_fence_as_the_regular_expression_it_replaces_did(string text, string expected)
    {
        Assert.Equal(expected, JudgeOutput.StripCodeFence(text));
        Assert.Equal(ReferenceStrip(text), JudgeOutput.StripCodeFence(text));
    }

    [Fact]
    public void Agrees_with_the_regular_expression_on_random_texts_of_fences_whitespace_and_braces()
    {
        var random = new Random(20261207);
        const string alphabet = "```\n\n  \tjson-_{}\"x";
        for (int n = 0; n < 5_000; n++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 40);
            for (int i = 0; i < length; i++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string input = text.ToString();
            Assert.True(ReferenceStrip(input) == JudgeOutput.StripCodeFence(input), $"differs on \"{input.ReplaceLineEndings("\\n")}\"");
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Reads_an_unclosed_fence_before_a_long_run_of_line_breaks_in_one_pass()
    {
        // The shape of the fuzzer's hang inputs (tests/AiEng.Fuzz/regressions/judge), about seven times longer: a fence
        // that nothing closes, then line breaks. The regular expression tried every split of the run and scanned the rest
        // for each (quadratic): seconds on 30 KB, far longer than this test allows on 200 KB.
        string hostile = "verdict: ```json" + new string('\n', 200_000) + "{\"score\": 3}\n";

        string body = await Task.Run(() => JudgeOutput.StripCodeFence(hostile));

        Assert.Equal(hostile.Trim(), body);
    }

    private static string ReferenceStrip(string text)
    {
        Match match = Reference.Match(text);
        return match.Success ? match.Groups["body"].Value.Trim() : text.Trim();
    }
}
