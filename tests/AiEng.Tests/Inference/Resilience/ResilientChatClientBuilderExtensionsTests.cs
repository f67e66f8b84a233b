using AiEng.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ResilientChatClientBuilderExtensionsTests
{
    [Fact]
    public void Adds_a_ResilientChatClient_around_the_inner_client()
    {
        var inner = Scripted("ok");

        using var client = new ChatClientBuilder(inner).UseResilience().Build();

        Assert.IsType<ResilientChatClient>(client);
        Assert.Same(inner, client.GetService(inner.GetType()));
    }

    [Fact]
    public async Task Starts_from_the_registered_options_applies_configure_and_leaves_the_registered_value_alone()
    {
        var services = new ServiceCollection();
        services.Configure<ResilienceOptions>(o =>
        {
            MakeExact(o);
            o.MaxRetryAttempts = 5;
            o.BaseDelay = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();
        var inner = Scripted(Status(503));

        // 5 registered retries, 4 fewer by configure: one retry.
        using var client = new ChatClientBuilder(inner).UseResilience(o => o.MaxRetryAttempts -= 4).Build(provider);
        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(2, inner.CallCount);
        Assert.Equal(5, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxRetryAttempts);
    }

    [Fact]
    public async Task Uses_the_registered_options_without_configure()
    {
        var registered = Exact(o => o.MaxRetryAttempts = 0);
        var services = new TestServices().Add<IOptions<ResilienceOptions>>(Options.Create(registered));
        var inner = Scripted(Status(503), "never");

        using var client = new ChatClientBuilder(inner).UseResilience().Build(services);
        await Assert.ThrowsAsync<ModelRequestException>(() => client.GetResponseAsync("hello"));

        Assert.Equal(1, inner.CallCount);
    }

    [Fact]
    public async Task Takes_the_TimeProvider_from_the_services()
    {
        var time = Clock();
        var services = new TestServices().Add<TimeProvider>(time).Add<IOptions<ResilienceOptions>>(Options.Create(Exact()));
        var inner = Scripted(Status(429, headers: ("Retry-After", "5")), "done");

        using var client = new ChatClientBuilder(inner).UseResilience().Build(services);
        var call = client.GetResponseAsync("hello");

        time.AdvanceJustBefore(TimeSpan.FromSeconds(5));
        Assert.Equal(1, inner.CallCount);
        time.AdvanceOneTick();
        Assert.Equal("done", (await call).Text);
    }

    [Fact]
    public void Validates_the_options_when_the_pipeline_is_built()
    {
        var builder = new ChatClientBuilder(Scripted("ok")).UseResilience(o => o.CircuitBreaker.MinimumThroughput = 0);

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("AiEng:Resilience:CircuitBreaker:MinimumThroughput is 0 but must be at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_null_builder()
    {
        Assert.Throws<ArgumentNullException>("builder", () => ResilientChatClientBuilderExtensions.UseResilience(null!));
    }
}
