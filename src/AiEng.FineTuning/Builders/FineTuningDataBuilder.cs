using System.Globalization;
using AiEng.Evaluation;
using AiEng.Prompts;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Builds chat fine-tuning data sets: from labelled examples rendered through a prompt file (so training sees exactly the
/// messages inference sends), and from an evaluation run's weak cases with their reference answers as targets.
/// </summary>
public static class FineTuningDataBuilder
{
    /// <summary>Renders each labelled example through <paramref name="prompt"/> and appends its target as the assistant answer.</summary>
    /// <param name="prompt">The prompt used at inference.</param>
    /// <param name="examples">The labelled examples.</param>
    /// <param name="renderOptions">The render options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for <see cref="FineTuningProvenance.CreatedAt"/>; <see langword="null"/> for the system clock.</param>
    /// <returns>The data set, one example per labelled example, with the prompt's tools and its id in the provenance.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">An example does not render (the message names it and the prompt's problem).</exception>
    public static FineTuningDataSet FromPrompt(
        IPromptTemplate prompt, IEnumerable<LabelledExample> examples, PromptRenderOptions? renderOptions = null, TimeProvider? timeProvider = null)
    {
        Throw.IfNull(prompt);
        Throw.IfNull(examples);
        var result = new List<FineTuningExample>();
        int index = 0;
        foreach (LabelledExample example in examples)
        {
            Throw.IfNull(example, nameof(examples));
            List<ChatMessage> messages = Render(prompt, example.Inputs, renderOptions, index, out IList<AIFunctionDeclaration> tools);
            messages.Add(new ChatMessage(ChatRole.Assistant, example.Target));
            result.Add(new FineTuningExample(messages) { Tools = tools, Label = example.Label, Id = $"{prompt.Id.Name}#{index}" });
            index++;
        }

        return new FineTuningDataSet(result, new FineTuningProvenance
        {
            Source = "prompt",
            Prompt = prompt.Id,
            CreatedAt = (timeProvider ?? TimeProvider.System).GetUtcNow(),
        });
    }

    /// <summary>
    /// Turns the cases of an evaluation run that scored below <paramref name="threshold"/> on <paramref name="metricName"/>
    /// into examples, with each case's reference answer as the target.
    /// </summary>
    /// <param name="run">The run, for example from <see cref="EvaluationRun.LoadAsync"/>.</param>
    /// <param name="metricName">The metric to select by.</param>
    /// <param name="threshold">Cases whose value is below this are taken.</param>
    /// <param name="prompt">
    /// The prompt to render each case's input through (the input goes to <paramref name="inputVariable"/>), or
    /// <see langword="null"/> to use the input as the only user message.
    /// </param>
    /// <param name="inputVariable">The prompt input that receives the case input. Default <c>input</c>.</param>
    /// <param name="timeProvider">The clock for <see cref="FineTuningProvenance.CreatedAt"/>; <see langword="null"/> for the system clock.</param>
    /// <returns>
    /// The data set in run order; ids are the case ids. The provenance counts the cases <c>selected</c>, skipped for having
    /// <c>no-reference</c>, and skipped for having <c>no-score</c> (the metric was not computed, for example because the target failed).
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">A case's input does not render through <paramref name="prompt"/>.</exception>
    public static FineTuningDataSet FromEvaluationRun(
        EvaluationRun run, string metricName, double threshold, IPromptTemplate? prompt = null, string inputVariable = "input", TimeProvider? timeProvider = null)
    {
        Throw.IfNull(run);
        Throw.IfNullOrWhitespace(metricName);
        Throw.IfNullOrWhitespace(inputVariable);
        var result = new List<FineTuningExample>();
        int noReference = 0, noScore = 0;
        foreach (CaseResult item in run.Cases)
        {
            if (item.GetValue(metricName) is not double value)
            {
                noScore++;
                continue;
            }

            if (value >= threshold)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Reference))
            {
                noReference++;
                continue;
            }

            IList<AIFunctionDeclaration> tools = [];
            List<ChatMessage> messages = prompt is null
                ? [new ChatMessage(ChatRole.User, item.Input)]
                : Render(prompt, new Dictionary<string, object?> { [inputVariable] = item.Input }, null, result.Count, out tools);
            messages.Add(new ChatMessage(ChatRole.Assistant, item.Reference));
            result.Add(new FineTuningExample(messages) { Tools = tools, Id = item.Id, Label = item.Metadata.GetValueOrDefault("category") });
        }

        return new FineTuningDataSet(result, new FineTuningProvenance
        {
            Source = "evaluation-run",
            Prompt = prompt?.Id,
            CreatedAt = (timeProvider ?? TimeProvider.System).GetUtcNow(),
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["run"] = run.Name,
                ["dataset"] = run.Dataset,
                ["metric"] = metricName,
                ["threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
                ["selected"] = result.Count.ToString(CultureInfo.InvariantCulture),
                ["no-reference"] = noReference.ToString(CultureInfo.InvariantCulture),
                ["no-score"] = noScore.ToString(CultureInfo.InvariantCulture),
            },
        });
    }

    /// <summary>Renders one example's inputs, turning a prompt failure into an error that names the example.</summary>
    internal static List<ChatMessage> Render(
        IPromptTemplate prompt, IReadOnlyDictionary<string, object?> inputs, PromptRenderOptions? options, int index, out IList<AIFunctionDeclaration> tools)
    {
        PromptRenderResult rendered = RenderResult(prompt, inputs, options, $"Example #{index}");
        tools = rendered.Options.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        return [.. rendered.Messages];
    }

    /// <summary>Renders inputs, turning a prompt failure into a <see cref="FineTuningDataException"/> that names what was rendered.</summary>
    internal static PromptRenderResult RenderResult(IPromptTemplate prompt, IReadOnlyDictionary<string, object?> inputs, PromptRenderOptions? options, string what)
    {
        try
        {
            return prompt.Render(inputs, options);
        }
        catch (PromptException ex)
        {
            throw new FineTuningDataException($"{what} does not render through prompt '{prompt.Id.Name}@{prompt.Id.Version}': {ex.Message}", ex);
        }
    }
}
