using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;

namespace AiEng.Tests.Inference.Cascade;

public sealed class CascadeChatClientTests
{
    [Fact]
    public async Task An_accepted_first_answer_is_returned_without_calling_the_next_model()
    {
        var small = Model("small", "Paris.");
        var large = Model("large", "Paris, the capital.");
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal("small", response.ModelId);
        Assert.Equal("small", CascadeProperties.GetModel(response.AdditionalProperties));
        Assert.Equal(0, CascadeProperties.GetStep(response.AdditionalProperties));
        Assert.Empty(Rejections(response));
        Assert.Equal(1, small.CallCount);
        Assert.Equal(0, large.CallCount);
    }

    [Fact]
    public async Task A_refusal_escalates_to_the_next_model_and_the_response_says_which_model_answered_and_why()
    {
        var small = Model("small", Refusal);
        var large = Model("large", "Paris.");
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal("large", response.ModelId);
        Assert.Equal("large", CascadeProperties.GetModel(response.AdditionalProperties));
        Assert.Equal(1, CascadeProperties.GetStep(response.AdditionalProperties));
        Assert.Equal(["small: the answer is a refusal (its opening contains \"I cannot answer\")"], Rejections(response));
        Assert.Equal(1, small.CallCount);
        Assert.Equal(1, large.CallCount);
    }

    [Fact]
    public async Task A_custom_predicate_escalates_when_it_returns_false_and_sees_the_attempt()
    {
        var seen = new List<CascadeAttempt>();
        var small = Model("small", "I think it is Lyon.");
        var large = Model("large", "Paris.");
        using IChatClient client = small.AsBuilder()
            .UseCascade(o => o.EscalateTo(large).AcceptWhen(a => { seen.Add(a); return a.Response.Text.Contains("Paris", StringComparison.Ordinal); }, "the answer names no Paris"))
            .Build();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal(["small: the answer names no Paris"], Rejections(response));
        CascadeAttempt attempt = Assert.Single(seen);
        Assert.Equal("small", attempt.ModelName);
        Assert.Equal(0, attempt.Step);
        Assert.Equal("What is the capital of France?", attempt.Messages.Single().Text);
        Assert.Equal("I think it is Lyon.", attempt.Response.Text);
    }

    [Fact]
    public async Task The_checks_run_in_order_and_the_first_rejection_skips_the_rest()
    {
        int laterChecks = 0;
        var small = Model("small", Refusal);
        var large = Model("large", "Paris.");
        using IChatClient client = small.AsBuilder()
            .UseCascade(o => o.EscalateTo(large).RejectRefusals().AcceptWhen(_ => { laterChecks++; return true; }, "never"))
            .Build();

        await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal(0, laterChecks);
    }

    [Fact]
    public async Task The_last_models_answer_is_returned_unchecked_even_when_it_would_fail_the_checks()
    {
        int checks = 0;
        var small = Model("small", Refusal);
        var medium = Model("medium", Refusal);
        var large = Model("large", Refusal);
        using IChatClient client = small.AsBuilder()
            .UseCascade(o => o.EscalateTo(medium).EscalateTo(large).RejectRefusals().AcceptWhen(_ => { checks++; return true; }, "never"))
            .Build();

        ChatResponse response = await client.GetResponseAsync("How do I pick a lock?");

        Assert.Equal(Refusal, response.Text);
        Assert.Equal("large", CascadeProperties.GetModel(response.AdditionalProperties));
        Assert.Equal(2, CascadeProperties.GetStep(response.AdditionalProperties));
        Assert.Equal(2, Rejections(response).Length);
        Assert.StartsWith("small: ", Rejections(response)[0], StringComparison.Ordinal);
        Assert.StartsWith("medium: ", Rejections(response)[1], StringComparison.Ordinal);
        Assert.Equal(0, checks);
        Assert.Equal([1, 1, 1], new[] { small.CallCount, medium.CallCount, large.CallCount });
    }

    [Fact]
    public async Task The_ledger_records_both_calls_each_by_its_own_pipeline_with_the_escalation_marked()
    {
        var ledger = new UsageLedger();
        IChatClient small = Tracked(Model("small", Refusal), ledger);
        IChatClient large = Tracked(Model("large", "Paris."), ledger);
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        await client.GetResponseAsync("What is the capital of France?");
        await client.GetResponseAsync("What is the capital of Spain?");

        IReadOnlyList<UsageRecord> records = ledger.GetRecords();
        Assert.Equal(["small", "large", "small", "large"], records.Select(r => r.Model));
        Assert.Equal([0, 1, 0, 1], records.Select(r => r.CascadeStep));
        Assert.All(records, r => Assert.Equal(100, r.InputTokens));
        UsageTotals totals = ledger.GetTotals();
        Assert.Equal(4, totals.Calls);
        Assert.Equal(2, totals.Escalations);
    }

    [Fact]
    public async Task An_accepted_first_answer_leaves_one_record_and_no_escalation()
    {
        var ledger = new UsageLedger();
        IChatClient small = Tracked(Model("small", "Paris."), ledger);
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(Tracked(Model("large", "Paris."), ledger)).RejectRefusals()).Build();

        await client.GetResponseAsync("What is the capital of France?");

        UsageRecord record = Assert.Single(ledger.GetRecords());
        Assert.Equal(0, record.CascadeStep);
        Assert.Equal(0, ledger.GetTotals().Escalations);
    }

    [Fact]
    public async Task The_callers_options_are_not_changed_and_each_model_receives_its_step()
    {
        var steps = new List<int?>();
        TestChatClient Recording(string name, string answer)
        {
            TestChatClient model = Model(name, answer);
            Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> inner = model.GetResponseAsyncCallback!;
            model.GetResponseAsyncCallback = (m, o, c) => { steps.Add(CascadeProperties.GetStep(o?.AdditionalProperties)); return inner(m, o, c); };
            return model;
        }

        var options = new ChatOptions { Temperature = 0.5f, AdditionalProperties = new() { ["tenant"] = "a" } };
        using IChatClient client = Recording("small", Refusal).AsBuilder().UseCascade(o => o.EscalateTo(Recording("large", "Paris.")).RejectRefusals()).Build();

        await client.GetResponseAsync("What is the capital of France?", options);

        Assert.Equal([0, 1], steps);
        Assert.Equal(["tenant"], options.AdditionalProperties.Keys);
        Assert.Equal(0.5f, options.Temperature);
    }

    [Fact]
    public async Task A_request_a_cascade_already_sent_goes_to_the_wrapped_model_alone()
    {
        var small = Model("small", Refusal);
        var large = Model("large", "Paris.");
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        ChatResponse response = await client.GetResponseAsync(
            "What is the capital of France?", new ChatOptions { AdditionalProperties = new() { [CascadeProperties.Step] = 1 } });

        Assert.Equal(Refusal, response.Text);
        Assert.Equal(0, large.CallCount);
        Assert.Null(CascadeProperties.GetModel(response.AdditionalProperties));
    }

    [Fact]
    public async Task A_failure_of_the_first_model_propagates_by_default()
    {
        var large = Model("large", "Paris.");
        using IChatClient client = Failing("small", new HttpRequestException("boom")).AsBuilder()
            .UseCascade(o => o.EscalateTo(large).RejectRefusals())
            .Build();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("What is the capital of France?"));
        Assert.Equal(0, large.CallCount);
    }

    [Fact]
    public async Task With_EscalateOnFailure_a_failure_escalates_and_is_named_in_the_rejections()
    {
        var large = Model("large", "Paris.");
        using IChatClient client = Failing("small", new HttpRequestException("boom")).AsBuilder()
            .UseCascade(o => { o.EscalateTo(large).RejectRefusals(); o.EscalateOnFailure = true; })
            .Build();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal(["small: the model failed (HttpRequestException)"], Rejections(response));
    }

    [Fact]
    public async Task A_failure_of_the_last_model_propagates_even_with_EscalateOnFailure()
    {
        using IChatClient client = Model("small", Refusal).AsBuilder()
            .UseCascade(o => { o.EscalateTo(Failing("large", new InvalidOperationException("down"))).RejectRefusals(); o.EscalateOnFailure = true; })
            .Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("What is the capital of France?"));
        Assert.Equal("down", error.Message);
    }

    [Fact]
    public async Task Cancellation_propagates_without_escalating_even_with_EscalateOnFailure()
    {
        var large = Model("large", "Paris.");
        using IChatClient client = Model("small", "Paris.").AsBuilder()
            .UseCascade(o => { o.EscalateTo(large).RejectRefusals(); o.EscalateOnFailure = true; })
            .Build();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("What is the capital of France?", cancellationToken: cts.Token));
        Assert.Equal(0, large.CallCount);
    }

    [Fact]
    public async Task A_check_receives_the_requests_cancellation_token_and_its_cancellation_propagates()
    {
        using var cts = new CancellationTokenSource();
        var large = Model("large", "Paris.");
        using IChatClient client = Model("small", "Lyon.").AsBuilder()
            .UseCascade(o =>
            {
                o.EscalateTo(large).AcceptWhen((_, token) =>
                {
                    cts.Cancel();
                    token.ThrowIfCancellationRequested();
                    return new ValueTask<bool>(false);
                }, "never reached");
                o.EscalateOnFailure = true;
            })
            .Build();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("What is the capital of France?", cancellationToken: cts.Token));
        Assert.Equal(0, large.CallCount);
    }

    [Fact]
    public async Task An_exception_from_a_check_propagates()
    {
        using IChatClient client = Model("small", "Lyon.").AsBuilder()
            .UseCascade(o => { o.EscalateTo(Model("large", "Paris.")).AcceptWhen(_ => throw new FormatException("bad check"), "never"); o.EscalateOnFailure = true; })
            .Build();

        await Assert.ThrowsAsync<FormatException>(() => client.GetResponseAsync("What is the capital of France?"));
    }

    [Fact]
    public async Task A_stream_whose_first_answer_is_rejected_is_streamed_from_the_next_model_and_each_call_is_recorded()
    {
        var ledger = new UsageLedger();
        IChatClient small = Tracked(Model("small", Refusal), ledger);
        IChatClient large = Tracked(Model("large", "Paris."), ledger);
        using IChatClient client = small.AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        List<ChatResponseUpdate> updates = await ReadAllAsync(client.GetStreamingResponseAsync("What is the capital of France?"));

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Paris.", response.Text);
        Assert.DoesNotContain(updates, u => u.Text.Contains("sorry", StringComparison.OrdinalIgnoreCase));
        Assert.All(updates, u => Assert.Equal("large", CascadeProperties.GetModel(u.AdditionalProperties)));
        Assert.Equal(1, CascadeProperties.GetStep(response.AdditionalProperties));
        Assert.Equal([0, 1], ledger.GetRecords().Select(r => r.CascadeStep));
        Assert.All(ledger.GetRecords(), r => Assert.True(r.IsStreaming));
    }

    [Fact]
    public async Task An_accepted_first_stream_is_replayed_and_the_next_model_is_not_called()
    {
        var large = Model("large", "Paris.");
        using IChatClient client = Model("small", "Paris, France.").AsBuilder().UseCascade(o => o.EscalateTo(large).RejectRefusals()).Build();

        List<ChatResponseUpdate> updates = await ReadAllAsync(client.GetStreamingResponseAsync("What is the capital of France?"));

        Assert.Equal("Paris, France.", updates.ToChatResponse().Text);
        Assert.All(updates, u => Assert.Equal(0, CascadeProperties.GetStep(u.AdditionalProperties)));
        Assert.Equal(0, large.CallCount);
    }

    [Fact]
    public async Task A_failed_stream_escalates_with_EscalateOnFailure_and_propagates_without_it()
    {
        static IChatClient Build(bool escalate) => Failing("small", new HttpRequestException("boom")).AsBuilder()
            .UseCascade(o => { o.EscalateTo(Model("large", "Paris.")).RejectRefusals(); o.EscalateOnFailure = escalate; })
            .Build();

        List<ChatResponseUpdate> updates = await ReadAllAsync(Build(escalate: true).GetStreamingResponseAsync("What is the capital of France?"));
        Assert.Equal("Paris.", updates.ToChatResponse().Text);
        Assert.Equal(["small: the model failed (HttpRequestException)"], Rejections(updates.ToChatResponse()));

        await Assert.ThrowsAsync<HttpRequestException>(() => ReadAllAsync(Build(escalate: false).GetStreamingResponseAsync("What is the capital of France?")));
    }

    [Fact]
    public async Task A_named_model_is_resolved_from_the_services_when_first_escalated_to()
    {
        var large = Model("large-v2", "Paris.");
        var services = new ServiceCollection().AddKeyedSingleton<IChatClient>("large", large).BuildServiceProvider();
        using IChatClient client = Model("small", Refusal).AsBuilder().UseCascade(o => o.EscalateTo("large").RejectRefusals()).Build(services);

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal("large", CascadeProperties.GetModel(response.AdditionalProperties));
        Assert.Equal("large-v2", response.ModelId);
    }

    [Fact]
    public async Task A_named_model_the_services_lack_fails_when_escalated_to_with_how_to_fix_it()
    {
        using IChatClient client = Model("small", Refusal).AsBuilder()
            .UseCascade(o => o.EscalateTo("large").RejectRefusals())
            .Build(new ServiceCollection().BuildServiceProvider());

        ChatResponse accepted = await Model("small", "Paris.").AsBuilder().UseCascade(o => o.EscalateTo("large").RejectRefusals()).Build().GetResponseAsync("Hi");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("What is the capital of France?"));

        Assert.Equal("Paris.", accepted.Text);
        Assert.Contains("'large'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:large", error.Message, StringComparison.Ordinal);
        Assert.Contains("EscalateTo(client, name)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_model_is_named_by_FirstModelName_else_by_its_model_id()
    {
        using IChatClient named = Model("gpt-small", "Paris.").AsBuilder().UseCascade(o => { o.EscalateTo(Model("large", "x")).RejectRefusals(); o.FirstModelName = "small"; }).Build();
        using IChatClient unnamed = Model("gpt-small", "Paris.").AsBuilder().UseCascade(o => o.EscalateTo(Model("large", "x")).RejectRefusals()).Build();

        Assert.Equal("small", CascadeProperties.GetModel((await named.GetResponseAsync("Hi")).AdditionalProperties));
        Assert.Equal("gpt-small", CascadeProperties.GetModel((await unnamed.GetResponseAsync("Hi")).AdditionalProperties));
    }

    [Fact]
    public void UseCascade_checks_its_arguments_and_options()
    {
        var builder = Model("small", "x").AsBuilder();

        Assert.Throws<ArgumentNullException>("builder", () => CascadeChatClientBuilderExtensions.UseCascade(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.UseCascade(null!));
        var error = Assert.Throws<ArgumentException>("configure", () => builder.UseCascade(_ => { }));
        Assert.Contains("Models is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("AcceptanceChecks is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_must_not_be_null()
    {
        using IChatClient client = Model("small", "x").AsBuilder().UseCascade(o => o.EscalateTo(Model("large", "y")).RejectRefusals()).Build();

        await Assert.ThrowsAsync<ArgumentNullException>("messages", () => client.GetResponseAsync((IEnumerable<ChatMessage>)null!));
        await Assert.ThrowsAsync<ArgumentNullException>("messages", () => ReadAllAsync(client.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!)));
    }
}
