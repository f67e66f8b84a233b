using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>A validated structured response.</summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class StructuredResponse<T>
{
    /// <summary>Initializes a new instance of the <see cref="StructuredResponse{T}"/> class.</summary>
    /// <param name="result">The result, deserialised from JSON that passed schema validation.</param>
    /// <param name="response">The last model response (the one that passed).</param>
    /// <param name="attempts">How many model calls it took: 1, plus one per repair.</param>
    /// <param name="usage">The usage summed over every attempt, when the responses reported usage.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is less than 1.</exception>
    public StructuredResponse(T result, ChatResponse response, int attempts, UsageDetails? usage)
    {
        Result = result;
        Response = Throw.IfNull(response);
        Attempts = Throw.IfLessThan(attempts, 1);
        Usage = usage;
    }

    /// <summary>Gets the result, deserialised from JSON that passed schema validation.</summary>
    public T Result { get; }

    /// <summary>Gets the last model response (the one that passed).</summary>
    public ChatResponse Response { get; }

    /// <summary>Gets how many model calls it took: 1, plus one per repair.</summary>
    public int Attempts { get; }

    /// <summary>Gets the usage summed over every attempt, when the responses reported usage.</summary>
    public UsageDetails? Usage { get; }
}
