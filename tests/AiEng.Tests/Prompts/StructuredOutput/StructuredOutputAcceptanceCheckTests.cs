using AiEng.Inference;
using AiEng.Prompts;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;

namespace AiEng.Tests.Prompts.StructuredOutput;

public sealed class StructuredOutputAcceptanceCheckTests
{
    public sealed class Capital
    {
        public required string Country { get; set; }

        public required string City { get; set; }
    }

    private static ValueTask<CascadeVerdict> Check(string text) =>
        new StructuredOutputAcceptanceCheck<Capital>(AIJsonUtilities.DefaultOptions)
            .CheckAsync(new CascadeAttempt([new(ChatRole.User, "Q")], null, new ChatResponse(new ChatMessage(ChatRole.Assistant, text)), 0, "small"));

    [Theory]
    [InlineData("""{"country":"France","city":"Paris"}""")]
    [InlineData("Here it is:\n```json\n{\"country\":\"France\",\"city\":\"Paris\"}\n```")]
    public async Task Valid_json_is_accepted(string answer) => Assert.True((await Check(answer)).IsAccepted);

    [Fact]
    public async Task Text_that_is_not_json_is_rejected()
    {
        CascadeVerdict verdict = await Check("Paris");

        Assert.StartsWith("the answer is not a valid Capital: (root): the reply is not valid JSON", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_that_misses_a_required_property_is_rejected_with_the_error()
    {
        CascadeVerdict verdict = await Check("""{"country":"France"}""");

        Assert.False(verdict.IsAccepted);
        Assert.Contains("city", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireValidJson_escalates_invalid_structured_output()
    {
        var large = Model("large", """{"country":"France","city":"Paris"}""");
        using IChatClient client = Model("small", "Paris, I think").AsBuilder()
            .UseCascade(o => o.EscalateTo(large).RequireValidJson<Capital>())
            .Build();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France? Answer in JSON.");

        Assert.Equal(1, CascadeProperties.GetStep(response.AdditionalProperties));
        Assert.StartsWith("small: the answer is not a valid Capital", Rejections(response)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void RequireValidJson_checks_its_arguments_and_the_type()
    {
        Assert.Throws<ArgumentNullException>("options", () => CascadeOptionsStructuredOutputExtensions.RequireValidJson<Capital>(null!));
        Assert.Throws<NotSupportedException>(() => new CascadeOptions().RequireValidJson<int>());
    }
}
