using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;
using static AiEng.Tests.Inference.SemanticCache.SemanticCacheTestKit;

namespace AiEng.Tests.Inference.Routing;

public sealed class ExampleRoutingChatClientTests
{
    private readonly TestChatClient _small = Model("small", "small answer");
    private readonly TestChatClient _large = Model("large", "large answer");
    private readonly TestEmbeddingGenerator _embedder = BagOfWords();

    private IChatClient Build(Action<ExampleRoutingOptions> configure, IServiceProvider? services = null) =>
        _small.AsBuilder()
            .UseExampleRouting(o => { o.Clients["large"] = _large; configure(o); }, _embedder)
            .Build(services);

    [Fact]
    public async Task A_request_goes_to_the_model_of_its_nearest_examples_and_the_response_says_which()
    {
        using IChatClient client = Build(o => o
            .AddExample("multiply seventeen by twenty three", "large")
            .AddExample("what is the capital of france", "small"));

        ChatResponse arithmetic = await client.GetResponseAsync("multiply seventeen by twenty four");
        ChatResponse geography = await client.GetResponseAsync("what is the capital of spain");

        Assert.Equal("large answer", arithmetic.Text);
        Assert.Equal("large", RoutingProperties.GetModel(arithmetic.AdditionalProperties));
        Assert.Equal("small answer", geography.Text);
        Assert.Equal("small", RoutingProperties.GetModel(geography.AdditionalProperties));
        Assert.Equal(1, _large.CallCount);
        Assert.Equal(1, _small.CallCount);
    }

    [Fact]
    public async Task A_request_below_the_threshold_goes_to_the_fallback_model()
    {
        using IChatClient client = Build(o => { o.AddExample("multiply seventeen by twenty three", "large"); o.Threshold = 0.5; });

        ChatResponse response = await client.GetResponseAsync("tell me a story about dragons");

        Assert.Equal("small answer", response.Text);
        Assert.Equal("small", RoutingProperties.GetModel(response.AdditionalProperties));
        Assert.Equal(0, _large.CallCount);
    }

    [Fact]
    public async Task A_request_without_user_text_goes_to_the_fallback_model_named_by_FallbackModelName()
    {
        using IChatClient client = Build(o => { o.AddExample("multiply seventeen by twenty three", "large"); o.FallbackModelName = "cheap"; });

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "multiply seventeen by twenty three")]);

        Assert.Equal("cheap", RoutingProperties.GetModel(response.AdditionalProperties));
        Assert.Equal(0, _large.CallCount);
    }

    [Theory]
    // The query "alpha bravo charlie delta": one small example shares four of its five words (cosine 0.89), two large
    // examples three of four (0.75 each). The nearest one alone picks small; three neighbours voting by summed similarity
    // pick large (1.5 against 0.89); by mean similarity, small (0.89 against 0.75).
    [InlineData(1, ExampleRoutingAggregation.Sum, "small")]
    [InlineData(3, ExampleRoutingAggregation.Sum, "large")]
    [InlineData(3, ExampleRoutingAggregation.Mean, "small")]
    public async Task The_nearest_neighbours_vote_as_configured(int neighbors, ExampleRoutingAggregation aggregation, string expected)
    {
        using IChatClient client = Build(o =>
        {
            o.AddExample("alpha bravo charlie delta echo", "small")
                .AddExample("alpha bravo charlie xray", "large")
                .AddExample("alpha bravo charlie yankee", "large");
            o.Neighbors = neighbors;
            o.Aggregation = aggregation;
            o.Threshold = 0.3;
        });

        ChatResponse response = await client.GetResponseAsync("alpha bravo charlie delta");

        Assert.Equal(expected, RoutingProperties.GetModel(response.AdditionalProperties));
    }

    [Fact]
    public async Task The_examples_are_embedded_once()
    {
        using IChatClient client = Build(o => o.AddExample("multiply seventeen by twenty three", "large").AddExample("capital of france", "small"));

        await client.GetResponseAsync("multiply two by three");
        await client.GetResponseAsync("capital of spain");
        await client.GetResponseAsync("capital of italy");

        // One call for the examples, one per request.
        Assert.Equal(4, _embedder.CallCount);
    }

    [Fact]
    public async Task A_streamed_response_is_marked_on_every_update()
    {
        using IChatClient client = Build(o => o.AddExample("multiply seventeen by twenty three", "large"));

        List<ChatResponseUpdate> updates = await ReadAllAsync(client.GetStreamingResponseAsync("multiply seventeen by twenty three"));

        Assert.Equal("large answer", updates.ToChatResponse().Text);
        Assert.All(updates, u => Assert.Equal("large", RoutingProperties.GetModel(u.AdditionalProperties)));
    }

    [Fact]
    public async Task A_named_model_is_resolved_from_the_services_on_the_first_request()
    {
        var medium = Model("gpt-medium", "medium answer");
        var services = new ServiceCollection().AddKeyedSingleton<IChatClient>("medium", medium).BuildServiceProvider();
        using IChatClient client = Build(o => o.AddExample("summarise this long report", "medium"), services);

        ChatResponse response = await client.GetResponseAsync("summarise this long report");

        Assert.Equal("medium answer", response.Text);
        Assert.Equal("medium", RoutingProperties.GetModel(response.AdditionalProperties));
    }

    [Fact]
    public async Task A_named_model_the_services_lack_fails_on_the_first_request_with_how_to_fix_it()
    {
        using IChatClient client = Build(o => o.AddExample("summarise this long report", "medium"), new ServiceCollection().BuildServiceProvider());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hello"));

        Assert.Contains("names the chat model 'medium'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ExampleRoutingOptions.Clients[\"medium\"]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_routed_models_calls_are_recorded_by_their_own_pipelines()
    {
        var ledger = new UsageLedger();
        using IChatClient client = Tracked(_small, ledger).AsBuilder()
            .UseExampleRouting(o => { o.Clients["large"] = Tracked(_large, ledger); o.AddExample("multiply seventeen by twenty three", "large"); }, _embedder)
            .Build();

        await client.GetResponseAsync("multiply seventeen by twenty three");
        await client.GetResponseAsync("tell me a story about dragons");

        Assert.Equal(["large", "small"], ledger.GetRecords().Select(r => r.Model));
        Assert.All(ledger.GetRecords(), r => Assert.Null(r.CascadeStep));
    }

    [Fact]
    public async Task A_cancelled_request_is_not_sent()
    {
        using IChatClient client = Build(o => o.AddExample("multiply seventeen by twenty three", "large"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("multiply seventeen by twenty three", cancellationToken: cts.Token));
        Assert.Equal(0, _large.CallCount);
        Assert.Equal(0, _small.CallCount);
    }

    [Fact]
    public async Task Disposing_the_router_disposes_the_wrapped_model_but_not_the_routed_ones()
    {
        bool smallDisposed = false, largeDisposed = false;
        var small = new DisposalProbe(Model("small", "small answer"), () => smallDisposed = true);
        var large = new DisposalProbe(_large, () => largeDisposed = true);
        IChatClient client = small.AsBuilder()
            .UseExampleRouting(o => { o.Clients["large"] = large; o.AddExample("multiply seventeen by twenty three", "large"); }, _embedder)
            .Build();
        await client.GetResponseAsync("multiply seventeen by twenty three");

        client.Dispose();

        Assert.True(smallDisposed);
        Assert.False(largeDisposed);
    }

    private sealed class DisposalProbe(IChatClient inner, Action onDispose) : DelegatingChatClient(inner)
    {
        protected override void Dispose(bool disposing)
        {
            onDispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void UseExampleRouting_checks_its_arguments_and_options()
    {
        ChatClientBuilder builder = _small.AsBuilder();

        Assert.Throws<ArgumentNullException>("builder", () => ExampleRoutingChatClientBuilderExtensions.UseExampleRouting(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.UseExampleRouting(null!));
        var error = Assert.Throws<ArgumentException>("configure", () => builder.UseExampleRouting(_ => { }));
        Assert.Contains("Examples is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_embedding_model_the_pipeline_fails_to_build_with_how_to_fix_it()
    {
        ChatClientBuilder builder = _small.AsBuilder().UseExampleRouting(o => o.AddExample("x", "large"));

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build(new ServiceCollection().BuildServiceProvider()));

        Assert.Contains("UseExampleRouting needs an embedding model", error.Message, StringComparison.Ordinal);
    }
}
