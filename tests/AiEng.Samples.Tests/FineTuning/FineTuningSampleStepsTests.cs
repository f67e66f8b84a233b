using AiEng.FineTuning;
using AiEng.Samples.FineTuning;
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Tests.FineTuning;

/// <summary>The fine-tuning sample's job step (against the test server) and its offline embedding adapter step.</summary>
public sealed class FineTuningSampleStepsTests
{
    private static readonly string Root = AppContext.BaseDirectory;

    [Fact]
    public async Task With_an_endpoint_configured_submits_the_exported_data_and_follows_the_job_to_its_model()
    {
        await using var server = await OpenAITestServer.StartAsync(new() { FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 2) });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:FineTuning:OpenAI:Endpoint"] = server.BaseAddress.ToString(),
            ["AiEng:FineTuning:Jobs:PollInterval"] = "00:00:00.001",
        }).Build();
        string outputDirectory = Directory.CreateTempSubdirectory("aieng-ft-sample-").FullName;
        try
        {
            var output = new StringWriter();
            await FineTuningSample.RunAsync(Root, outputDirectory, output, configuration);

            string text = output.ToString();
            Assert.Equal(["tickets.train.jsonl", "tickets.validation.jsonl"], server.Files.Select(f => f.FileName));
            Assert.Equal(File.ReadAllText(Path.Combine(outputDirectory, "train.jsonl")), server.Files[0].Text);
            Assert.Contains("status: running", text, StringComparison.Ordinal);
            Assert.Contains("Step 2/2: training loss=", text, StringComparison.Ordinal);
            Assert.Contains($"Fine-tuned model: ft:{FineTuningSample.BaseModel}:aieng-test:tickets:", text, StringComparison.Ordinal);
            Assert.Contains("AiEng__ChatModels__tickets__Model=ft:", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Offline_says_what_to_configure_and_submits_nothing()
    {
        string outputDirectory = Directory.CreateTempSubdirectory("aieng-ft-sample-").FullName;
        try
        {
            var output = new StringWriter();
            await FineTuningSample.RunAsync(Root, outputDirectory, output);

            Assert.Contains("Fine-tuning job: skipped, no endpoint configured", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("AiEng__FineTuning__OpenAI__ApiKey", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Trains_an_embedding_adapter_offline_that_improves_retrieval_of_held_out_queries()
    {
        var services = new ServiceCollection();
        services.AddAiEng(new ConfigurationBuilder().Build()).AddOnnx();
        await using var provider = services.BuildServiceProvider();
        var output = new StringWriter();

        EmbeddingAdapterStepResult result = await EmbeddingAdapterStep.RunAsync(
            Root, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), global::AiEng.Samples.Rag.RagApp.CreatePlainConsole(output));

        Assert.Equal(36, result.TrainingQueries);
        Assert.Equal(24, result.HeldOutQueries);
        Assert.Equal(36, result.Passages);
        Assert.True(result.Training.EpochsRun > 0);
        Assert.True(result.RecallAfter > result.RecallBefore, result.ToString());
        Assert.True(result.NdcgAfter > result.NdcgBefore, result.ToString());
        Assert.Contains("Embedded 36 passages and 60 queries", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("recall@5", output.ToString(), StringComparison.Ordinal);
    }
}
