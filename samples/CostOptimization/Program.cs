// Usage: dotnet run --project samples/CostOptimization
// Shows, offline, the ways AiEng lowers inference cost; each technique adds its step here (docs/inference-cost.md).
Console.WriteLine("AiEng cost optimization sample: no steps yet.");
return 0;
