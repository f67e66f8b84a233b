using AiEng.Inference;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;

namespace AiEng.Tests.Inference.Cascade;

public sealed class CascadeAiEngPipelineTests
{
    [Fact]
    public async Task A_cascade_on_a_named_model_escalates_to_another_named_model_and_AiEngs_ledger_records_both()
    {
        var small = Model("gpt-small", Refusal);
        var large = Model("gpt-large", "Paris.");
        // Added to every model's pipeline: the escalated request carries its step, so the large model does not cascade again.
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(),
            aieng => aieng
                .UseChatClient(_ => small, "small")
                .UseChatClient(_ => large, "large")
                .ConfigureChatPipeline(b => b.UseCascade(o => o.EscalateTo("large").RejectRefusals())));
        var client = services.GetRequiredKeyedService<IChatClient>("small");

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal("large", CascadeProperties.GetModel(response.AdditionalProperties));
        UsageRecord[] records = [.. services.GetRequiredService<IUsageLedger>().GetRecords()];
        Assert.Equal(["gpt-small", "gpt-large"], records.Select(r => r.Model));
        Assert.Equal([0, 1], records.Select(r => r.CascadeStep));
        Assert.Equal(1, large.CallCount);
    }
}
