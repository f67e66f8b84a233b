using System.Globalization;
using System.Text;
using System.Text.Json;
using AiEng.Testing;

namespace AiEng.Benchmarks.Cascade;

/// <summary>
/// The two priced models of the cascade benchmark, served by <see cref="OpenAITestServer"/>: what each answers is a fixed
/// function of the item (its difficulty and a hash of its question), never of the strategy that asks.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Cheap"/> answers easy items right, except one in 25 (a wrong number); of the hard items it refuses three in
/// ten, answers two in ten in prose instead of JSON, and gets the other half wrong with confidence (valid JSON, a wrong number).
/// <see cref="Expensive"/> answers every item right, except one in 25.
/// </para>
/// <para>
/// A cascade that checks refusals and JSON can catch the refusals and the prose, not the confident errors: that part of
/// the gap between the models is left for an evaluator or a better check to close.
/// </para>
/// </remarks>
internal sealed class SimulatedModels(IEnumerable<ArithmeticItem> items)
{
    public const string Cheap = "cheap-model";
    public const string Expensive = "expensive-model";

    private readonly Dictionary<string, ArithmeticItem> _byQuestion = items
        .GroupBy(item => item.Question, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);

    /// <summary>The server's chat handler: answers as the requested model would.</summary>
    public ValueTask<OpenAITestChatReply> Answer(OpenAITestChatRequest request, CancellationToken cancellationToken)
    {
        string question = request.LastUserMessage;
        if (!_byQuestion.TryGetValue(question, out ArithmeticItem? item))
        {
            return new(new OpenAITestChatReply("I don't know that question."));
        }

        return new(new OpenAITestChatReply(request.Model switch
        {
            Cheap => CheapAnswer(item),
            Expensive => Percent(item, "expensive") < 4 ? Json(Wrong(item)) : Json(item.Answer),
            _ => throw new InvalidOperationException($"The benchmark serves {Cheap} and {Expensive}, not '{request.Model}'."),
        }));
    }

    private static string CheapAnswer(ArithmeticItem item)
    {
        int percent = Percent(item, "cheap");
        if (!item.IsHard)
        {
            return percent < 4 ? Json(Wrong(item)) : Json(item.Answer);
        }

        return percent switch
        {
            < 30 => "I'm sorry, but I can't work that out reliably.",
            < 50 => $"The answer is probably {Wrong(item)}.",
            _ => Json(Wrong(item)),
        };
    }

    private static string Wrong(ArithmeticItem item) =>
        (long.Parse(item.Answer, CultureInfo.InvariantCulture) + 1 + (Percent(item, "offset") % 9)).ToString(CultureInfo.InvariantCulture);

    private static string Json(string answer) => JsonSerializer.Serialize(new { answer });

    /// <summary>A number from 0 to 99 fixed by the item's question and a salt (FNV-1a over UTF-8).</summary>
    private static int Percent(ArithmeticItem item, string salt)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(salt + "\n" + item.Question))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return (int)(hash % 100);
    }
}
