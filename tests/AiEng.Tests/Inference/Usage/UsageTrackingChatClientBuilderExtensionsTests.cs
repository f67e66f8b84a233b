using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageTrackingChatClientBuilderExtensionsTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "hi")];

    [Fact]
    public async Task Uses_the_ledger_options_and_clock_registered_in_the_services()
    {
        var ledger = new UsageLedger();
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<IUsageLedger>(ledger)
            .AddSingleton<TimeProvider>(time);
        services.Configure<UsageTrackingOptions>(o =>
        {
            o.DefaultCallerTag = "from-services";
            o.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 1_000_000m };
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        using IChatClient client = new ChatClientBuilder(Replying())
            .UseUsageTracking(configure: o => o.Prices["gpt-4o"].OutputPerMillion = 1_000_000m)
            .Build(provider);
        await client.GetResponseAsync(Question);

        UsageRecord record = Assert.Single(ledger.GetRecords());
        Assert.Equal("from-services", record.CallerTag);
        Assert.Equal(time.GetUtcNow(), record.Timestamp);
        Assert.Equal(5m, record.Cost);
        Assert.Equal(0m, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<UsageTrackingOptions>>().Value.Prices["gpt-4o"].OutputPerMillion);
    }

    [Fact]
    public async Task Prefers_the_ledger_it_is_given_and_creates_one_when_none_is_registered()
    {
        var given = new UsageLedger();
        using IChatClient withGiven = new ChatClientBuilder(Replying()).UseUsageTracking(given).Build();
        using IChatClient withNew = new ChatClientBuilder(Replying()).UseUsageTracking().Build();

        await withGiven.GetResponseAsync(Question);
        await withNew.GetResponseAsync(Question);

        Assert.Single(given.GetRecords());
        var created = Assert.IsType<UsageLedger>(withNew.GetService<IUsageLedger>());
        Assert.NotSame(given, created);
        Assert.Single(created.GetRecords());
    }

    [Fact]
    public void Rejects_invalid_options_when_built()
    {
        var builder = new ChatClientBuilder(Replying()).UseUsageTracking(configure: o => o.Currency = " ");

        var ex = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.Contains("AiEng:Usage:Currency", ex.Message, StringComparison.Ordinal);
    }

    private static TestChatClient Replying() => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            ModelId = "gpt-4o",
            Usage = new UsageDetails { InputTokenCount = 3, OutputTokenCount = 2 },
        }),
    };
}
