using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>A validated structured response.</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <param name="Result">The result, deserialised from JSON that passed schema validation.</param>
/// <param name="Response">The last model response (the one that passed).</param>
/// <param name="Attempts">How many model calls it took: 1, plus one per repair.</param>
/// <param name="Usage">The usage summed over every attempt, when the responses reported usage.</param>
public sealed record StructuredResponse<T>(T Result, ChatResponse Response, int Attempts, UsageDetails? Usage);
