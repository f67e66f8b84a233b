using System.Globalization;
using System.Text.RegularExpressions;
using AiEng.Testing;

namespace AiEng.Samples.CostOptimization;

/// <summary>
/// A stand-in for a paid chat model that answers the cascade step's arithmetic questions, so that the step runs offline. The
/// strong model computes every answer; the weak one computes one operation, refuses questions with more than one, and
/// misreads "times" as "plus" (a confident wrong answer that no check catches). It reports the usage a hosted model would
/// bill (a 120-token prompt, a 20-token answer) under its model id.
/// </summary>
internal sealed partial class SimulatedArithmeticModel(string modelId, bool strong) : PricedStandInModel(modelId, inputTokens: 120, outputTokens: 20)
{
    /// <summary>
    /// Answers a request to AiEng.Testing's OpenAI-compatible server as the stand-in of the requested model would, with the
    /// usage the stand-in reports: the steps that call models through the OpenAI provider use it as the server's chat handler.
    /// </summary>
    /// <param name="request">The request the server received.</param>
    /// <param name="strong">Whether the requested model is a strong one.</param>
    /// <returns>The server's reply.</returns>
    public static OpenAITestChatReply Reply(OpenAITestChatRequest request, bool strong)
    {
        using var model = new SimulatedArithmeticModel(request.Model, strong);
        return new OpenAITestChatReply(model.Answer(request.LastUserMessage)) { Model = request.Model, PromptTokens = 120, CompletionTokens = 20 };
    }

    /// <summary>Evaluates "a op b op c ..." from left to right, with op one of plus, minus and times.</summary>
    protected override string Answer(string question)
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
