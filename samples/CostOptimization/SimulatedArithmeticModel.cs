using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// A stand-in for a paid chat model that answers the cascade step's arithmetic questions, so that the step runs offline. The
/// strong model computes every answer; the weak one computes one operation, refuses questions with more than one, and
/// misreads "times" as "plus" (a confident wrong answer that no check catches). It reports the usage a hosted model would
/// bill (a 120-token prompt, a 20-token answer) under its <see cref="ModelId"/>.
/// </summary>
internal sealed partial class SimulatedArithmeticModel(string modelId, bool strong) : IChatClient
{
    private int _calls;

    public string ModelId { get; } = modelId;

    /// <summary>Gets how many requests reached the model.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        string question = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(question)))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 20, TotalTokenCount = 140 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, ModelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Evaluates "a op b op c ..." from left to right, with op one of plus, minus and times.</summary>
    private string Answer(string question)
    {
        MatchCollection numbers = Number().Matches(question);
        MatchCollection operators = Operator().Matches(question);
        if (numbers.Count == 0 || operators.Count != numbers.Count - 1)
        {
            return "I don't know.";
        }

        if (!strong && operators.Count > 1)
        {
            return "I'm sorry, but I can't work out a calculation with several steps.";
        }

        long value = long.Parse(numbers[0].Value, CultureInfo.InvariantCulture);
        for (int i = 0; i < operators.Count; i++)
        {
            long next = long.Parse(numbers[i + 1].Value, CultureInfo.InvariantCulture);
            value = operators[i].Value switch
            {
                "plus" => value + next,
                "minus" => value - next,
                _ => strong ? value * next : value + next,
            };
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(plus|minus|times)\b")]
    private static partial Regex Operator();
}
