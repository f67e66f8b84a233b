using AiEng.Inference;
using Microsoft.Extensions.AI;
using static AiEng.Tests.Inference.Cascade.CascadeTestKit;

namespace AiEng.Tests.Inference.Cascade;

public sealed class CascadeOptionsTests
{
    [Fact]
    public void The_defaults_escalate_to_no_model_with_no_check_and_propagate_failures()
    {
        var options = new CascadeOptions();

        Assert.Empty(options.Models);
        Assert.Empty(options.AcceptanceChecks);
        Assert.Null(options.FirstModelName);
        Assert.False(options.EscalateOnFailure);
    }

    [Fact]
    public void The_convenience_methods_add_models_and_checks_in_order()
    {
        IChatClient large = Model("large", "x");
        var options = new CascadeOptions().EscalateTo("medium").EscalateTo(large).RejectRefusals().AcceptWhen(_ => true, "never");

        Assert.Equal(["medium", "large"], options.Models.Select(m => m.Name));
        Assert.Null(options.Models[0].Client);
        Assert.Same(large, options.Models[1].Client);
        Assert.IsType<RefusalAcceptanceCheck>(options.AcceptanceChecks[0]);
        Assert.Equal(2, options.AcceptanceChecks.Count);
    }

    [Fact]
    public void Validation_names_every_problem_and_how_to_fix_it()
    {
        var options = new CascadeOptions { FirstModelName = " " };
        options.Models.Add(null!);
        options.AcceptanceChecks.Add(null!);

        var error = Assert.Throws<ArgumentException>("configure", () => options.ValidateAndClone("configure"));

        Assert.Contains("Models[0] is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("AcceptanceChecks[0] is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("FirstModelName is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_lists_are_rejected_with_an_example()
    {
        var error = Assert.Throws<ArgumentException>(() => new CascadeOptions().ValidateAndClone("configure"));

        Assert.Contains("options.EscalateTo(\"large\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.RejectRefusals()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_after_UseCascade_have_no_effect()
    {
        var options = new CascadeOptions();
        var large = Model("large", "Paris.");
        using IChatClient client = Model("small", Refusal).AsBuilder()
            .UseCascade(o => { o.EscalateTo(large).RejectRefusals(); options = o; })
            .Build();
        options.AcceptanceChecks.Clear();
        options.AcceptWhen(_ => true, "accepts all");
        options.Models.Clear();

        ChatResponse response = await client.GetResponseAsync("Hi");

        Assert.Equal("Paris.", response.Text);
    }

    [Fact]
    public void AcceptWhen_checks_its_arguments()
    {
        var options = new CascadeOptions();

        Assert.Throws<ArgumentNullException>("predicate", () => options.AcceptWhen((Func<CascadeAttempt, bool>)null!, "r"));
        Assert.Throws<ArgumentNullException>("predicate", () => options.AcceptWhen((Func<CascadeAttempt, CancellationToken, ValueTask<bool>>)null!, "r"));
        Assert.Throws<ArgumentException>("reason", () => options.AcceptWhen(_ => true, " "));
        Assert.Throws<ArgumentNullException>("reason", () => options.AcceptWhen(_ => true, null!));
        Assert.Empty(options.AcceptanceChecks);
    }
}
