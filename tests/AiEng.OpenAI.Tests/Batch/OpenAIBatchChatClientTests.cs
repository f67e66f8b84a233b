using System.ClientModel;
using System.ClientModel.Primitives;
using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiEng.OpenAI.Tests;

public sealed class OpenAIBatchChatClientTests
{
    private static readonly BatchItem<string>[] Items = [new("q1", "one two"), new("q2", "three"), new("q3", "four five six")];

    private static async Task<OpenAITestServer> StartAsync(OpenAITestBatchScript? script = null)
    {
        var server = await OpenAITestServer.StartAsync(new() { ChatHandler = (request, _) => ValueTask.FromResult(new OpenAITestChatReply("re: " + request.Messages[^1].Content)) });
        server.BatchScript = _ => script ?? new OpenAITestBatchScript { ValidatingPolls = 1, InProgressPolls = 2 };
        return server;
    }

    private static OpenAIBatchChatClient Client(OpenAITestServer server, IUsageLedger? ledger = null, IReadOnlyDictionary<string, ModelPrice>? prices = null, TimeSpan? pollInterval = null) =>
        new(
            new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = server.BaseAddress, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) }),
            new OpenAIBatchChatClientOptions { Model = "test-chat", PollInterval = pollInterval ?? TimeSpan.Zero },
            ledger,
            prices);

    [Fact]
    public async Task Maps_the_answers_back_to_the_inputs_in_order_and_records_usage_at_half_price()
    {
        await using var server = await StartAsync();
        var ledger = new UsageLedger();
        var prices = new Dictionary<string, ModelPrice> { ["test-chat"] = new() { InputPerMillion = 1_000_000m, OutputPerMillion = 2_000_000m } };

        var results = await Client(server, ledger, prices).RunPromptsAsync(Items);

        Assert.Equal(["q1", "q2", "q3"], results.Select(r => r.Id));
        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.All(results, r => Assert.Equal(BatchItemStatus.Succeeded, r.Status));
        Assert.Equal(["re: one two", "re: three", "re: four five six"], results.Select(r => r.Value!.Text));
        var input = Assert.Single(server.Files, f => f.Purpose == "batch");
        Assert.Contains("\"custom_id\":\"q2\"", input.Text, StringComparison.Ordinal);
        var records = ledger.GetRecords();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(OpenAIBatchChatClient.UsageCallerTag, r.CallerTag));
        // q1: 2 input words and 3 output words: (2 × 1 + 3 × 2) at half price.
        var first = records.Single(r => r.InputTokens == 2);
        Assert.Equal(3, first.OutputTokens);
        Assert.Equal(4m, first.Cost);
    }

    [Fact]
    public async Task Reports_failed_lines_with_their_ids_and_messages()
    {
        await using var server = await StartAsync(new OpenAITestBatchScript { FailedLines = ["q2"], LineErrorCode = "content_filter", LineErrorMessage = "Blocked by policy." });
        var ledger = new UsageLedger();

        var results = await Client(server, ledger).RunPromptsAsync(Items);

        Assert.Equal([BatchItemStatus.Succeeded, BatchItemStatus.Failed, BatchItemStatus.Succeeded], results.Select(r => r.Status));
        Assert.Equal("q2", results[1].Id);
        Assert.Equal("content_filter: Blocked by policy.", results[1].Error);
        Assert.Null(results[1].Value);
        Assert.Equal(2, ledger.GetRecords().Count);
    }

    [Fact]
    public async Task Returns_partial_results_of_an_expired_batch_with_the_rest_not_run()
    {
        await using var server = await StartAsync(OpenAITestBatchScript.Expiring(completedLines: 2));

        var results = await Client(server).RunPromptsAsync(Items);

        Assert.Equal([BatchItemStatus.Succeeded, BatchItemStatus.Succeeded, BatchItemStatus.NotRun], results.Select(r => r.Status));
        Assert.Contains("expired", results[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throws_the_providers_errors_when_the_batch_fails()
    {
        await using var server = await StartAsync(OpenAITestBatchScript.Failing("token_limit_exceeded", "Enqueued token limit reached."));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Client(server).RunPromptsAsync(Items));

        Assert.Contains("token_limit_exceeded", error.Message, StringComparison.Ordinal);
        Assert.Contains("Enqueued token limit reached.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_duplicate_ids_before_uploading_anything()
    {
        await using var server = await StartAsync();
        var client = Client(server);

        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => client.RunPromptsAsync([new("a", "x"), new("b", "y"), new("a", "z")]));

        Assert.Contains("'a' at index 2", duplicate.Message, StringComparison.Ordinal);
        Assert.Empty(server.Files);
    }

    [Fact]
    public async Task Cancellation_cancels_the_remote_batch_and_throws()
    {
        await using var server = await StartAsync(new OpenAITestBatchScript { InProgressPolls = 100 });
        using var cancellation = new CancellationTokenSource();
        var run = Client(server, pollInterval: TimeSpan.FromHours(1)).RunPromptsAsync(Items, cancellationToken: cancellation.Token);
        for (var i = 0; i < 500 && !server.Requests.Any(r => r.Method == "GET" && r.Path.Contains("/batches/", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Contains(server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/cancel", StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_options_without_a_model_naming_the_property()
    {
        var client = new OpenAIClient(new ApiKeyCredential("k"));

        var error = Assert.Throws<ArgumentException>(() => new OpenAIBatchChatClient(client, new OpenAIBatchChatClientOptions()));

        Assert.Contains("OpenAIBatchChatClientOptions.Model", error.Message, StringComparison.Ordinal);
    }
}
