using AiEng.Samples.FineTuning;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

// Usage: dotnet run --project samples/FineTuning [output-directory]
// Steps 1-6 build, check, price and export the data; step 7 submits it when AiEng__FineTuning__OpenAI__ApiKey (or
// __Endpoint) is set; step 8 trains an embedding adapter for the local MiniLM model, offline.
string outputDirectory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "aieng-fine-tuning");
IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
AiEng.FineTuning.FineTuningValidationReport report = await FineTuningSample.RunAsync(AppContext.BaseDirectory, outputDirectory, Console.Out, configuration);

var services = new ServiceCollection();
services.AddAiEng(new ConfigurationBuilder().Build()).AddOnnx();   // the local all-MiniLM-L6-v2, no key, no server
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    await EmbeddingAdapterStep.RunAsync(AppContext.BaseDirectory, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), AnsiConsole.Console);
}

return report.IsValid ? 0 : 1;
