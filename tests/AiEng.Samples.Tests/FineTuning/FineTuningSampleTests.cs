using System.Text.Json;
using AiEng.FineTuning;
using AiEng.Samples.FineTuning;

namespace AiEng.Samples.Tests.FineTuning;

/// <summary>Runs the fine-tuning sample offline over its own prompt and data.</summary>
public sealed class FineTuningSampleTests
{
    private static readonly string Root = AppContext.BaseDirectory;

    [Fact]
    public async Task Builds_redacts_splits_validates_prices_and_exports_a_valid_openai_training_file()
    {
        string outputDirectory = Directory.CreateTempSubdirectory("aieng-ft-sample-").FullName;
        try
        {
            var output = new StringWriter();
            FineTuningValidationReport report = await FineTuningSample.RunAsync(Root, outputDirectory, output);

            Assert.True(report.IsValid, report.ToString());
            string text = output.ToString();
            Assert.Contains("Built 14 examples from prompt classify-ticket@fine-tuned.", text, StringComparison.Ordinal);
            Assert.Contains("EmailAddress in example #5", text, StringComparison.Ordinal);
            Assert.DoesNotContain("jane.doe@example.com", text, StringComparison.Ordinal);
            Assert.Contains("Split: 11 training, 3 validation", text, StringComparison.Ordinal);
            Assert.Contains("fine-tuned   ft:gpt-4o-mini-2024-07-18", text, StringComparison.Ordinal);

            string train = Path.Combine(outputDirectory, "train.jsonl");
            IReadOnlyList<FineTuningExample> written = await FineTuningJsonl.ReadExamplesAsync(train);
            Assert.Equal(11, written.Count);
            Assert.All(File.ReadAllLines(train), line => Assert.Equal(3, JsonDocument.Parse(line).RootElement.GetProperty("messages").GetArrayLength()));
            using JsonDocument provenance = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDirectory, "train.provenance.json")));
            Assert.Equal("train.jsonl", provenance.RootElement.GetProperty("file").GetString());
            Assert.Equal(11, provenance.RootElement.GetProperty("examples").GetInt32());
            Assert.Equal("classify-ticket", provenance.RootElement.GetProperty("prompt").GetProperty("name").GetString());
            Assert.DoesNotContain("jane.doe", File.ReadAllText(train) + File.ReadAllText(Path.Combine(outputDirectory, "validation.jsonl")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }
}
