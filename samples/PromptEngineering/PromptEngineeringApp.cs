using System.Globalization;
using AiEng.Inference;
using AiEng.Offline;
using AiEng.Prompts;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Samples.PromptEngineering;

/// <summary>
/// The sample: one task (support-ticket classification) done three ways. It always prints the rendered prompts, the
/// selected examples and token and cost estimates; with a model configured it also runs each variant on the labelled test
/// set and prints accuracy and cost side by side.
/// </summary>
/// <param name="chat">The configured chat model, or the offline extractive responder.</param>
/// <param name="embeddings">Embeds the examples and the tickets for few-shot selection (the local MiniLM by default).</param>
/// <param name="registry">The registered prompt registry (<c>AddPrompts</c>) holding the three versions of the prompt.</param>
/// <param name="output">Where the preview and the scores go.</param>
internal sealed class PromptEngineeringApp(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embeddings, IPromptRegistry registry, TextWriter output)
{
    /// <summary>The model whose list prices the estimates use.</summary>
    public const string PricedModel = "gpt-4o-mini";

    /// <summary>The token budget of the budgeted render the preview shows.</summary>
    public const int PreviewBudget = 60;

    /// <summary>The prompt versions compared, in the order they are printed.</summary>
    public static readonly IReadOnlyList<string> Variants = ["zero-shot", "few-shot", "structured"];

    /// <summary>Gets illustrative list prices (USD per million tokens) for the cost estimates; set your own for your model.</summary>
    public static ModelPrice Price { get; } = new() { InputPerMillion = 0.15m, OutputPerMillion = 0.60m };

    /// <summary>Prints the preview and, with a model configured, scores every variant.</summary>
    /// <param name="root">The folder holding <c>data/</c>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The score of every variant, or an empty list when no model is configured.</returns>
    public async Task<IReadOnlyList<VariantScore>> RunAsync(string root, CancellationToken cancellationToken = default)
    {
        ExampleSet pool = ExampleSet.LoadJsonl(Path.Combine(root, "data", "examples.jsonl"));
        ExampleSet test = ExampleSet.LoadJsonl(Path.Combine(root, "data", "test.jsonl"));
        EmbeddedExamples embedded = await EmbeddedExamples.CreateAsync(embeddings, pool.Examples, cancellationToken);
        var selector = new SemanticExampleSelector(embedded, embeddings, count: 3);

        await PreviewAsync(selector, test.Examples[0].Input, cancellationToken);
        if (chat.GetService<ChatClientMetadata>()?.ProviderName == ExtractiveResponder.ProviderName)
        {
            output.WriteLine();
            output.WriteLine("No language model is configured, so the variants are not run. To compare their accuracy and cost, set for example:");
            output.WriteLine("  AiEng__Chat__Provider=OpenAI  AiEng__Chat__Model=gpt-4o-mini  AiEng__Chat__ApiKey=sk-...");
            return [];
        }

        var scores = new List<VariantScore>(Variants.Count);
        foreach (string variant in Variants)
        {
            scores.Add(await ScoreAsync(registry.Get("classify-ticket@" + variant), variant, selector, test, cancellationToken));
        }

        output.WriteLine();
        output.WriteLine($"Accuracy on {test.Examples.Count} labelled tickets, tokens as the provider reported them, cost at {PricedModel} list prices:");
        output.WriteLine("variant      accuracy         input tokens   output tokens   USD per 1,000 tickets");
        foreach (VariantScore score in scores)
        {
            output.WriteLine(FormatScore(score));
        }

        return scores;
    }

    /// <summary>Formats one row of the accuracy and cost table.</summary>
    /// <param name="score">The score.</param>
    /// <returns>The row, without a line break.</returns>
    public static string FormatScore(VariantScore score)
    {
        string accuracy = string.Create(CultureInfo.InvariantCulture, $"{score.Correct}/{score.Total} ({score.Accuracy * 100:F0}%)");
        return string.Create(CultureInfo.InvariantCulture, $"{score.Variant,-12} {accuracy,-16} {score.InputTokens,12} {score.OutputTokens,15}   {score.CostPerThousand,21:F4}");
    }

    private async Task PreviewAsync(SemanticExampleSelector selector, string sample, CancellationToken cancellationToken)
    {
        ITokenCounter counter = TiktokenTokenCounter.ForModel(PricedModel);
        foreach (string variant in Variants)
        {
            IPromptTemplate prompt = registry.Get("classify-ticket@" + variant);
            IReadOnlyList<PromptExample> shots = variant == "zero-shot" ? [] : await selector.SelectAsync(sample, cancellationToken);
            PromptRenderResult rendered = prompt.Render(Inputs(sample, shots, variant), new PromptRenderOptions { TokenCounter = counter });
            output.WriteLine($"== {prompt.Id} ({prompt.Id.ContentHash[..19]}...)");
            foreach (PromptExample shot in shots)
            {
                output.WriteLine($"   example: \"{shot.Input}\" -> {shot.Output}");
            }

            foreach (ChatMessage message in rendered.Messages)
            {
                output.WriteLine($"   [{message.Role}] {message.Text.ReplaceLineEndings(" / ")}");
            }

            int maxOutput = rendered.Options.MaxOutputTokens ?? 0;
            decimal cost = Price.GetCost(rendered.InputTokens ?? 0, maxOutput, 0);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ~{rendered.InputTokens} input tokens, <= {maxOutput} output; <= ${cost * 1000:F4} per 1,000 tickets at {PricedModel} list prices"));
            if (variant == "structured")
            {
                // The examples sit in a section marked 'system (priority: 1):': a tight budget drops it whole.
                PromptRenderResult budgeted = prompt.Render(Inputs(sample, shots, variant), new PromptRenderOptions { TokenCounter = counter, MaxInputTokens = PreviewBudget });
                foreach (PromptBudgetCut cut in budgeted.Cuts)
                {
                    string what = cut.Section is null ? $"input '{cut.Input}'" : $"the {cut.Section} section of line {cut.SectionLine}";
                    output.WriteLine($"   within {PreviewBudget} tokens: dropped {what} (priority {cut.Priority}, -{cut.TokensRemoved} tokens) -> ~{budgeted.InputTokens} input tokens");
                }
            }
        }
    }

    private async Task<VariantScore> ScoreAsync(IPromptTemplate prompt, string variant, SemanticExampleSelector selector, ExampleSet test, CancellationToken cancellationToken)
    {
        int correct = 0;
        long inputTokens = 0, outputTokens = 0, cachedTokens = 0;
        foreach (PromptExample item in test.Examples)
        {
            IReadOnlyList<PromptExample> shots = variant == "zero-shot" ? [] : await selector.SelectAsync(item.Input, cancellationToken);
            PromptRenderResult rendered = prompt.Render(Inputs(item.Input, shots, variant));

            // The prompt files name the model they were written for; the configured model answers instead.
            rendered.Options.ModelId = null;
            string? answer;
            UsageDetails? usage;
            if (variant == "structured")
            {
                try
                {
                    StructuredResponse<TicketFields> result = await chat.GetValidatedResponseAsync<TicketFields>(rendered.Messages, rendered.Options, cancellationToken: cancellationToken);
                    (answer, usage) = (result.Result.Category, result.Usage);
                }
                catch (StructuredOutputException)
                {
                    // Still invalid after the repair attempts: a wrong answer, not the end of the comparison.
                    (answer, usage) = (null, null);
                }
            }
            else
            {
                ChatResponse response = await chat.GetResponseAsync(rendered.Messages, rendered.Options, cancellationToken);
                (answer, usage) = (response.Text, response.Usage);
            }

            inputTokens += usage?.InputTokenCount ?? 0;
            outputTokens += usage?.OutputTokenCount ?? 0;
            cachedTokens += usage?.CachedInputTokenCount ?? 0;
            if (answer is not null && answer.Trim().TrimEnd('.').Equals(item.Output, StringComparison.OrdinalIgnoreCase))
            {
                correct++;
            }
        }

        return new VariantScore(variant, correct, test.Examples.Count, inputTokens, outputTokens, Price.GetCost(inputTokens, outputTokens, cachedTokens));
    }

    private static Dictionary<string, object?> Inputs(string ticket, IReadOnlyList<PromptExample> shots, string variant)
        => variant == "zero-shot" ? new() { ["ticket"] = ticket } : new() { ["ticket"] = ticket, ["examples"] = shots };
}
