using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Cascade;

public sealed class CascadeVerdictTests
{
    [Fact]
    public void Accept_has_no_reason_and_Reject_keeps_its_reason()
    {
        Assert.True(CascadeVerdict.Accept.IsAccepted);
        Assert.Null(CascadeVerdict.Accept.Reason);

        CascadeVerdict rejection = CascadeVerdict.Reject("too short");
        Assert.False(rejection.IsAccepted);
        Assert.Equal("too short", rejection.Reason);
    }

    [Fact]
    public void A_rejection_needs_a_reason()
    {
        Assert.Throws<ArgumentNullException>("reason", () => CascadeVerdict.Reject(null!));
        Assert.Throws<ArgumentException>("reason", () => CascadeVerdict.Reject(""));
    }

    [Fact]
    public void An_attempt_checks_its_arguments()
    {
        var response = new ChatResponse();
        ChatMessage[] messages = [new(ChatRole.User, "Hi")];

        Assert.Throws<ArgumentNullException>("messages", () => new CascadeAttempt(null!, null, response, 0, "small"));
        Assert.Throws<ArgumentNullException>("response", () => new CascadeAttempt(messages, null, null!, 0, "small"));
        Assert.Throws<ArgumentOutOfRangeException>("step", () => new CascadeAttempt(messages, null, response, -1, "small"));
        Assert.Throws<ArgumentNullException>("modelName", () => new CascadeAttempt(messages, null, response, 0, null!));
    }
}
