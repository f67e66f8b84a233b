using System.Globalization;
using AiEng.Inference;
using AiEng.Prompts;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.FineTuning;

/// <summary>
/// Distils a teacher model into training data: the teacher answers each input rendered through a prompt, evaluators or an
/// LLM judge keep only answers that pass, near-duplicates are removed by embedding similarity, and the teacher, prompt,
/// tokens and cost are recorded with the data set.
/// </summary>
/// <remarks>
/// Calls run at most <see cref="DistillationOptions.MaxConcurrency"/> at a time; cancellation stops them and throws. A teacher
/// call that fails is recorded as a <c>teacher-error</c> rejection and the other inputs carry on, so one failure loses nothing else.
/// </remarks>
public sealed class TeacherDistiller
{
    private readonly IChatClient _teacher;
    private readonly DistillationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="TeacherDistiller"/> class.</summary>
    /// <param name="teacher">The teacher model.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="teacher"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public TeacherDistiller(IChatClient teacher, DistillationOptions? options = null)
    {
        _teacher = Throw.IfNull(teacher);
        _options = options ?? new DistillationOptions();
        Throw.IfLessThan(_options.MaxConcurrency, 1, "options.MaxConcurrency");
        if (_options.DuplicateSimilarity is <= 0 or > 1 || double.IsNaN(_options.DuplicateSimilarity))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.DuplicateSimilarity, "DistillationOptions.DuplicateSimilarity must be above 0 and at most 1.");
        }
    }

    /// <summary>Asks the teacher for every input and keeps the answers that pass.</summary>
    /// <param name="prompt">The prompt the inputs are rendered through (the one the student will be served with).</param>
    /// <param name="inputs">The prompt inputs, one dictionary per example.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The kept data set and the rejected inputs.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FineTuningDataException">An input does not render through <paramref name="prompt"/>.</exception>
    public async Task<DistillationResult> DistillAsync(
        IPromptTemplate prompt, IEnumerable<IReadOnlyDictionary<string, object?>> inputs, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(prompt);
        Throw.IfNull(inputs);
        var items = inputs.ToList();
        var rendered = new List<(List<ChatMessage> Messages, IList<AIFunctionDeclaration> Tools, ChatOptions Options)>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            PromptRenderResult result = FineTuningDataBuilder.RenderResult(prompt, Throw.IfNull(items[i], nameof(inputs)), null, $"Input #{i}");
            rendered.Add(([.. result.Messages], result.Options.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [], result.Options));
        }

        var outcomes = new (FineTuningExample? Example, DistillationRejection? Rejection, UsageDetails? Usage)[items.Count];
        using var gate = new SemaphoreSlim(_options.MaxConcurrency);
        await Task.WhenAll(Enumerable.Range(0, items.Count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                outcomes[i] = await AnswerAsync(i, rendered[i].Messages, rendered[i].Tools, rendered[i].Options, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        var kept = new List<(int Index, FineTuningExample Example)>();
        var rejected = new List<DistillationRejection>();
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Example is FineTuningExample example)
            {
                kept.Add((i, example));
            }
            else
            {
                rejected.Add(outcomes[i].Rejection!);
            }
        }

        if (_options.EmbeddingGenerator is not null && kept.Count > 1)
        {
            (int Match, double Similarity)[] matches = await EmbeddingDuplicates.FindAsync(
                _options.EmbeddingGenerator, kept.Select(k => ExampleText.Content(k.Example)).ToList(), _options.DuplicateSimilarity, cancellationToken).ConfigureAwait(false);
            var unique = new List<(int Index, FineTuningExample Example)>();
            for (int k = 0; k < kept.Count; k++)
            {
                if (matches[k].Match >= 0)
                {
                    rejected.Add(new DistillationRejection(kept[k].Index, "duplicate", string.Create(CultureInfo.InvariantCulture,
                        $"cosine similarity {matches[k].Similarity:F3} with input #{kept[matches[k].Match].Index}")));
                    continue;
                }

                unique.Add(kept[k]);
            }

            kept = unique;
        }

        rejected.Sort(static (a, b) => a.InputIndex.CompareTo(b.InputIndex));
        long? inputTokens = Sum(outcomes.Select(static o => o.Usage?.InputTokenCount));
        long? outputTokens = Sum(outcomes.Select(static o => o.Usage?.OutputTokenCount));
        string? teacherModel = _options.ChatOptions?.ModelId ?? rendered.FirstOrDefault().Options?.ModelId ?? _teacher.GetService<ChatClientMetadata>()?.DefaultModelId;
        ModelPrice? price = teacherModel is null ? null : ModelPrice.Find(_options.Prices, teacherModel);
        var provenance = new FineTuningProvenance
        {
            Source = "distillation",
            Prompt = prompt.Id,
            TeacherModel = teacherModel,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            Cost = price?.GetCost(inputTokens ?? 0, outputTokens ?? 0, 0),
            CreatedAt = (_options.TimeProvider ?? TimeProvider.System).GetUtcNow(),
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["inputs"] = items.Count.ToString(CultureInfo.InvariantCulture),
                ["kept"] = kept.Count.ToString(CultureInfo.InvariantCulture),
                ["failed-evaluation"] = rejected.Count(static r => r.Reason == "failed-evaluation").ToString(CultureInfo.InvariantCulture),
                ["duplicate"] = rejected.Count(static r => r.Reason == "duplicate").ToString(CultureInfo.InvariantCulture),
                ["teacher-error"] = rejected.Count(static r => r.Reason == "teacher-error").ToString(CultureInfo.InvariantCulture),
            },
        };
        return new DistillationResult(new FineTuningDataSet(kept.Select(static k => k.Example).ToList(), provenance), rejected);
    }

    private async Task<(FineTuningExample?, DistillationRejection?, UsageDetails?)> AnswerAsync(
        int index, List<ChatMessage> messages, IList<AIFunctionDeclaration> tools, ChatOptions promptOptions, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await _teacher.GetResponseAsync(messages, _options.ChatOptions ?? promptOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, new DistillationRejection(index, "teacher-error", $"{ex.GetType().Name}: {ex.Message}"), null);
        }

        if (_options.Evaluators.Count > 0)
        {
            var failed = new List<string>();
            foreach (IEvaluator evaluator in _options.Evaluators)
            {
                EvaluationResult result = await evaluator.EvaluateAsync(messages, response, _options.JudgeConfiguration, null, cancellationToken).ConfigureAwait(false);
                bool passes = _options.Passes?.Invoke(result) ?? !result.Metrics.Values.Any(static m => m.Interpretation?.Failed == true);
                if (!passes)
                {
                    failed.AddRange(result.Metrics.Keys);
                }
            }

            if (failed.Count > 0)
            {
                return (null, new DistillationRejection(index, "failed-evaluation", string.Join(", ", failed.Distinct(StringComparer.Ordinal))), response.Usage);
            }
        }

        var example = new FineTuningExample([.. messages, .. response.Messages]) { Tools = tools, Id = $"input#{index}" };
        return (example, null, response.Usage);
    }

    private static long? Sum(IEnumerable<long?> values)
    {
        long? total = null;
        foreach (long? value in values)
        {
            if (value is long v)
            {
                total = (total ?? 0) + v;
            }
        }

        return total;
    }
}
