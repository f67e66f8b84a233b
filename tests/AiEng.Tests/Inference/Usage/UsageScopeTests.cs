using AiEng.Inference;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageScopeTests
{
    [Fact]
    public void Nests_and_restores_the_outer_tag_when_disposed()
    {
        Assert.Null(UsageScope.CurrentCallerTag);
        using (UsageScope.Begin("outer"))
        {
            using (var inner = UsageScope.Begin("inner"))
            {
                Assert.Equal("inner", UsageScope.CurrentCallerTag);
                Assert.Equal("inner", inner.CallerTag);
            }

            Assert.Equal("outer", UsageScope.CurrentCallerTag);
        }

        Assert.Null(UsageScope.CurrentCallerTag);
    }

    [Fact]
    public async Task Flows_across_awaits_but_not_into_unrelated_flows()
    {
        string? seenInside;
        using (UsageScope.Begin("flowing"))
        {
            await Task.Yield();
            seenInside = await Task.Run(() => UsageScope.CurrentCallerTag);
        }

        Assert.Equal("flowing", seenInside);
        Assert.Null(UsageScope.CurrentCallerTag);
    }

    [Fact]
    public void Ignores_a_second_dispose()
    {
        var outer = UsageScope.Begin("outer");
        var inner = UsageScope.Begin("inner");
        inner.Dispose();
        inner.Dispose();

        Assert.Equal("outer", UsageScope.CurrentCallerTag);
        outer.Dispose();
    }

    [Fact]
    public void Rejects_an_empty_tag()
    {
        Assert.Throws<ArgumentException>(() => UsageScope.Begin(" "));
        Assert.Throws<ArgumentNullException>(() => UsageScope.Begin(null!));
    }
}
