// Usage: dotnet run --project samples/CostOptimization
// Shows, offline, the ways AiEng lowers inference cost; each technique adds its step here (docs/inference-cost.md).
using AiEng.Onnx;
using AiEng.Samples.CostOptimization;
using Spectre.Console;

Console.WriteLine("AiEng cost optimization sample (offline: priced stand-in models, local all-MiniLM-L6-v2 embeddings).");
using var embedder = new OnnxEmbeddingGenerator();

await SemanticCacheStep.RunAsync(embedder, Console.Out);

// The int8 model goes to a folder of its own (its name becomes the model id), written again on each run.
await QuantizationStep.RunAsync(embedder, Path.Combine(Path.GetTempPath(), "aieng-samples", "all-MiniLM-L6-v2-int8"), Console.Out);

await CascadeStep.RunAsync(Console.Out);

await BatchStep.RunAsync(Console.Out);

await ModelChoiceStep.RunAsync(Path.Combine(Path.GetTempPath(), "aieng-samples", "cost-reports"), Console.Out);

await WorkloadComparisonStep.RunAsync(embedder, AnsiConsole.Console);

return 0;
