using System.Globalization;
using System.Text.Json;
using AiEng.FineTuning;
using AiEng.Inference;
using AiEng.Prompts;
using Microsoft.Extensions.Configuration;

namespace AiEng.Samples.FineTuning;

/// <summary>
/// Builds a fine-tuning data set from labelled tickets through the prompt file used at inference, scans and redacts personal
/// data, splits it, validates it, estimates the cost and exports OpenAI JSONL; with a fine-tuning endpoint configured,
/// submits it and follows the job (offline, nothing is submitted).
/// </summary>
public static class FineTuningSample
{
    /// <summary>The model the sample prices a fine-tune of.</summary>
    public const string BaseModel = "gpt-4o-mini-2024-07-18";

    /// <summary>Runs the sample.</summary>
    /// <param name="root">The folder holding <c>prompts/</c> and <c>data/</c>.</param>
    /// <param name="outputDirectory">Where <c>train.jsonl</c> and <c>validation.jsonl</c> are written.</param>
    /// <param name="output">Where the report is printed.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The validation report.</returns>
    /// <param name="configuration">
    /// The configuration of step 7 (see <see cref="FineTuningJobStep"/>): with <c>AiEng:FineTuning:OpenAI</c> set, the data
    /// is submitted and the job followed; <see langword="null"/> or without it, the step says what to set and is skipped.
    /// </param>
    public static async Task<FineTuningValidationReport> RunAsync(
        string root, string outputDirectory, TextWriter output, IConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        PromptTemplate prompt = PromptTemplate.Load(Path.Combine(root, "prompts", "classify-ticket.prompty"));
        var labelled = new List<LabelledExample>();
        foreach (string line in await File.ReadAllLinesAsync(Path.Combine(root, "data", "labelled.jsonl"), cancellationToken))
        {
            using JsonDocument record = JsonDocument.Parse(line);
            string label = record.RootElement.GetProperty("label").GetString()!;
            labelled.Add(new LabelledExample(new Dictionary<string, object?> { ["ticket"] = record.RootElement.GetProperty("ticket").GetString() }, label) { Label = label });
        }

        // 1. Render every labelled ticket through the inference prompt; the label is the answer to learn.
        FineTuningDataSet set = FineTuningDataBuilder.FromPrompt(prompt, labelled);
        await output.WriteLineAsync($"Built {set.Examples.Count} examples from prompt {prompt.Id.Name}@{prompt.Id.Version}.");

        // 2. Find and redact secrets and personal data; the report never prints them.
        SecretRedaction redaction = SecretScanner.Redact([.. set.Examples]);
        await output.WriteLineAsync(redaction.Report.ToString());

        // 3. A seeded split that keeps each category's share.
        FineTuningSplit<FineTuningExample> split = FineTuningSplitter.Split(redaction.Examples, 0.2, seed: 42, stratifyBy: static e => e.Label);
        await output.WriteLineAsync($"Split: {split.Training.Count} training, {split.Validation.Count} validation (seed 42, stratified by category).");

        // 4. Validate as OpenAI would, plus duplicates and leakage.
        FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(split.Training, split.Validation, cancellationToken);
        await output.WriteLineAsync("Validation: " + report);

        // 5. What would this cost? Prices are examples; configure your own.
        var costOptions = new FineTuningCostOptions
        {
            BaseModel = BaseModel,
            TeacherModel = "gpt-4o",
            Epochs = 3,
            PromptTokensWithoutFineTuning = 400,
            Prices =
            {
                [BaseModel] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.6m, TrainingPerMillion = 3m },
                ["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m },
                ["ft:" + BaseModel] = new ModelPrice { InputPerMillion = 0.3m, OutputPerMillion = 1.2m },
            },
        };
        await output.WriteLineAsync(FineTuningCostEstimator.Estimate(split.Training, costOptions).ToString());

        // 6. Export OpenAI JSONL, ready to upload.
        Directory.CreateDirectory(outputDirectory);
        string train = Path.Combine(outputDirectory, "train.jsonl");
        string validation = Path.Combine(outputDirectory, "validation.jsonl");
        var trainingSet = new FineTuningDataSet([.. split.Training], set.Provenance);
        var validationSet = new FineTuningDataSet([.. split.Validation], set.Provenance);
        await FineTuningJsonl.WriteDataSetAsync(train, trainingSet, cancellationToken);           // and train.provenance.json
        await FineTuningJsonl.WriteDataSetAsync(validation, validationSet, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {train} and {validation}."));

        // 7. With an endpoint configured, submit the data and follow the job; otherwise say what to configure.
        if (report.IsValid)
        {
            await FineTuningJobStep.RunAsync(
                configuration ?? new ConfigurationBuilder().Build(),
                trainingSet,
                validationSet,
                output,
                cancellationToken);
        }

        return report;
    }
}
