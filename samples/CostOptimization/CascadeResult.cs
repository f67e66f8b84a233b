namespace AiEng.Samples.CostOptimization;

/// <summary>What one way of serving the cascade step's questions achieved: answers right, model cost, model calls and escalations, from the usage ledger.</summary>
internal sealed record CascadeResult(string Name, int Correct, decimal Cost, long Calls, long Escalations);
