// Benchmarks print one JSON object per line on stdout; logs go to stderr.
// Usage: dotnet run -c Release --project tests/AiEng.Benchmarks -- <name> [options]
using AiEng.Benchmarks;

return await BenchmarkRunner.RunAsync(args).ConfigureAwait(false);
