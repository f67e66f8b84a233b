using AiEng.Samples.FineTuning;

// Usage: dotnet run --project samples/FineTuning [output-directory]
string outputDirectory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "aieng-fine-tuning");
AiEng.FineTuning.FineTuningValidationReport report = await FineTuningSample.RunAsync(AppContext.BaseDirectory, outputDirectory, Console.Out);
return report.IsValid ? 0 : 1;
