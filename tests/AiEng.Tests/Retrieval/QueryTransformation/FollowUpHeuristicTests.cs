using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.QueryTransformation;

public class FollowUpHeuristicTests
{
    private const string Topic = "Tell me about the X200 router.";

    [Theory]
    [InlineData("and what about its price?", "and what about its price? X200 router")]
    [InlineData("How much does it cost?", "How much does it cost? X200 router")]
    [InlineData("What about the warranty?", "What about the warranty? X200 router")]
    [InlineData("Is there a wall mount?", "Is there a wall mount? X200 router")]
    [InlineData("Why?", "Why? X200 router")]
    [InlineData("And is the X200 router waterproof?", "And is the X200 router waterproof?")]
    public void A_short_follow_up_that_refers_back_gets_the_terms_of_the_message_it_continues(string followUp, string expected)
    {
        Assert.Equal(expected, FollowUpHeuristic.Rewrite(followUp, [Topic]));
    }

    [Theory]
    [InlineData("How much does the X500 cost?")]
    [InlineData("Which routers support mesh networking?")]
    [InlineData("I read somewhere that it can also be mounted on a wall with two screws, right?")]
    public void A_message_that_stands_on_its_own_or_is_long_is_searched_as_it_is(string message)
    {
        Assert.Equal(message, FollowUpHeuristic.Rewrite(message, [Topic]));
    }

    [Fact]
    public void Earlier_follow_ups_are_skipped_to_reach_the_message_they_continue()
    {
        Assert.Equal("and its weight? X200 router", FollowUpHeuristic.Rewrite("and its weight?", ["and what about its price?", Topic, "Tell me about the X500 switch."]));
    }

    [Fact]
    public void When_every_earlier_message_refers_back_the_follow_up_is_searched_as_it_is()
    {
        Assert.Equal("and its price?", FollowUpHeuristic.Rewrite("and its price?", ["what about it?", "and that one?"]));
        Assert.Equal("and its price?", FollowUpHeuristic.Rewrite("and its price?", []));
    }

    [Fact]
    public void Names_come_first_then_the_other_content_words_at_most_eight_without_repeats()
    {
        Assert.Equal(
            "What about its warranty? Acme AX3000 router support standard",
            FollowUpHeuristic.Rewrite("What about its warranty?", ["Does the router from Acme support the AX3000 standard?"]));

        string many = FollowUpHeuristic.Rewrite("and it?", ["Compare routers switches modems cables antennas adapters repeaters firewalls gateways bridges hubs."]);
        Assert.Equal("and it? Compare routers switches modems cables antennas adapters repeaters", many);
        Assert.Equal("what about it? ROUTER", FollowUpHeuristic.Rewrite("what about it?", ["Router router ROUTER"]));
    }
}
