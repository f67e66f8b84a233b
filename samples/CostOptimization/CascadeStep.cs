using AiEng.Inference;
using Microsoft.Extensions.AI;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// Step 3, the cascade: asks a dozen arithmetic questions of a cheap model alone, of an expensive model alone, and of a
/// cascade (<c>UseCascade</c>: the cheap model first, escalated to the expensive one when it refuses), each through AiEng's
/// usage tracking with a price table, and prints the accuracy, the cost and the escalations of each.
/// </summary>
internal static class CascadeStep
{
    /// <summary>The cheap model's id and price per million input / output tokens.</summary>
    public const string CheapModel = "gpt-4o-mini";

    /// <summary>The expensive model's id.</summary>
    public const string ExpensiveModel = "gpt-4o";

    /// <summary>A dozen questions with their answers: one step (the cheap model's), several steps (it refuses), and products (it gets wrong).</summary>
    public static readonly IReadOnlyList<(string Question, string Answer)> Workload =
    [
        ("What is 12 plus 30?", "42"),
        ("What is 95 minus 17?", "78"),
        ("What is 8 plus 8?", "16"),
        ("What is 250 minus 125?", "125"),
        ("What is 7 plus 5 minus 3?", "9"),
        ("What is 64 minus 32?", "32"),
        ("What is 19 plus 23?", "42"),
        ("What is 10 plus 20 plus 30?", "60"),
        ("What is 6 times 7?", "42"),
        ("What is 100 minus 1?", "99"),
        ("What is 3 times 4 minus 2?", "10"),
        ("What is 45 plus 55?", "100"),
    ];

    /// <summary>Runs the workload three ways and prints a line for each; returns the results.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    public static async Task<(CascadeResult Cheap, CascadeResult Expensive, CascadeResult Cascade)> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        output.WriteLine("== Step 3: model cascade (UseCascade)");
        output.WriteLine($"   {Workload.Count} arithmetic questions; offline stand-ins priced as {CheapModel} ($0.15/$0.60 per 1M tokens) and {ExpensiveModel} ($2.50/$10).");

        CascadeResult cheap = await RunAsync("cheap only", cascade: false, entry: CheapModel, cancellationToken).ConfigureAwait(false);
        CascadeResult expensive = await RunAsync("expensive only", cascade: false, entry: ExpensiveModel, cancellationToken).ConfigureAwait(false);
        CascadeResult cascaded = await RunAsync("cascade", cascade: true, entry: CheapModel, cancellationToken).ConfigureAwait(false);
        foreach (CascadeResult result in new[] { cheap, expensive, cascaded })
        {
            output.WriteLine($"   {result.Name,-15} correct {result.Correct,2}/{Workload.Count}, cost {result.Cost:0.000000} USD, calls {result.Calls,2}, escalations {result.Escalations,2}");
        }

        output.WriteLine($"   the cascade cost {cascaded.Cost / expensive.Cost:P0} of the expensive model's; it escalated the refusals, but a confident wrong answer (6 times 7) passed its check.");
        return (cheap, expensive, cascaded);
    }

    private static async Task<CascadeResult> RunAsync(string name, bool cascade, string entry, CancellationToken cancellationToken)
    {
        var ledger = new UsageLedger();
        void Prices(UsageTrackingOptions options)
        {
            options.Prices[CheapModel] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.60m };
            options.Prices[ExpensiveModel] = new ModelPrice { InputPerMillion = 2.50m, OutputPerMillion = 10m };
        }

        // Each model has its own pipeline with usage tracking, as AiEng builds one per configured model.
        using IChatClient cheap = new SimulatedArithmeticModel(CheapModel, strong: false).AsBuilder().UseUsageTracking(ledger, Prices).Build();
        using IChatClient expensive = new SimulatedArithmeticModel(ExpensiveModel, strong: true).AsBuilder().UseUsageTracking(ledger, Prices).Build();
        ChatClientBuilder builder = (entry == CheapModel ? cheap : expensive).AsBuilder();
        if (cascade)
        {
            builder.UseCascade(options => options.EscalateTo(expensive).RejectRefusals());
        }

        IChatClient client = builder.Build();
        int correct = 0;
        foreach ((string question, string answer) in Workload)
        {
            ChatResponse response = await client.GetResponseAsync(question, cancellationToken: cancellationToken).ConfigureAwait(false);
            correct += response.Text == answer ? 1 : 0;
        }

        UsageTotals totals = ledger.GetTotals();
        return new CascadeResult(name, correct, totals.Cost, totals.Calls, totals.Escalations);
    }
}
