using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Cascade;

public sealed class RefusalAcceptanceCheckTests
{
    private static ValueTask<CascadeVerdict> Check(ChatResponse response, RefusalAcceptanceCheck? check = null) =>
        (check ?? new RefusalAcceptanceCheck()).CheckAsync(new CascadeAttempt([new(ChatRole.User, "Q")], null, response, 0, "small"));

    private static ValueTask<CascadeVerdict> Check(string text, RefusalAcceptanceCheck? check = null) =>
        Check(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)), check);

    [Theory]
    [InlineData("I'm sorry, but I can't help with that.")]
    [InlineData("I cannot help with requests like this one.")]
    [InlineData("  i am unable to answer that question")]
    [InlineData("I don\u2019t know the answer.")]
    [InlineData("Sorry, I can't do that.")]
    [InlineData("As an AI language model, I have no opinions.")]
    public async Task Common_refusals_are_rejected(string answer)
    {
        CascadeVerdict verdict = await Check(answer);

        Assert.False(verdict.IsAccepted);
        Assert.StartsWith("the answer is a refusal", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Paris.")]
    [InlineData("The capital of France is Paris; I can't think of a more famous city.")]
    public async Task Answers_are_accepted(string answer) => Assert.True((await Check(answer)).IsAccepted);

    [Fact]
    public async Task A_phrase_after_the_opening_of_a_long_answer_is_not_a_refusal()
    {
        string answer = new string('x', RefusalAcceptanceCheck.OpeningLength) + " I don't know whether this helps.";

        Assert.True((await Check(answer)).IsAccepted);
        Assert.False((await Check("I don't know. " + answer)).IsAccepted);
    }

    [Fact]
    public async Task An_empty_answer_is_rejected_but_a_tool_call_is_accepted()
    {
        CascadeVerdict empty = await Check("   ");
        CascadeVerdict toolCall = await Check(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup")])));

        Assert.Equal("the answer is empty", empty.Reason);
        Assert.True(toolCall.IsAccepted);
    }

    [Fact]
    public async Task A_filtered_answer_is_rejected()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris")) { FinishReason = ChatFinishReason.ContentFilter };

        CascadeVerdict verdict = await Check(response);

        Assert.Equal("the provider filtered the answer (finish reason content_filter)", verdict.Reason);
    }

    [Fact]
    public async Task Custom_phrases_replace_the_defaults()
    {
        var check = new RefusalAcceptanceCheck(["je ne peux pas"]);

        Assert.Equal(["je ne peux pas"], check.Phrases);
        Assert.False((await Check("Je ne peux pas répondre.", check)).IsAccepted);
        Assert.True((await Check("I'm sorry, but no.", check)).IsAccepted);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var error = Assert.Throws<ArgumentException>("phrases", () => new RefusalAcceptanceCheck(["ok", " "]));
        Assert.Contains("phrase 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("attempt", () => new RefusalAcceptanceCheck().CheckAsync(null!).AsTask().GetAwaiter().GetResult());
    }
}
