using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Rejects answers that do not answer: a response the provider stopped with <see cref="ChatFinishReason.ContentFilter"/>,
/// an empty answer (no text and no tool call), and an answer that opens with a refusal or an admission of not knowing
/// (one of <see cref="Phrases"/> within its first <see cref="OpeningLength"/> characters, in any letter case, typographic
/// apostrophes read as straight ones).
/// </summary>
/// <remarks>
/// These are heuristics, tuned for English: a model that refuses in other words, or in another language, is not caught, and
/// an answer that opens by quoting a phrase is rejected. Pass your own phrases, or add an <c>AcceptWhen</c> check, when
/// your models word refusals differently.
/// </remarks>
public sealed class RefusalAcceptanceCheck : ICascadeAcceptanceCheck
{
    /// <summary>How many characters at the start of an answer are searched for a phrase: refusals open an answer, and a long answer may quote one later.</summary>
    public const int OpeningLength = 200;

    private static readonly CascadeVerdict Filtered = CascadeVerdict.Reject("the provider filtered the answer (finish reason content_filter)");
    private static readonly CascadeVerdict Empty = CascadeVerdict.Reject("the answer is empty");

    private readonly CascadeVerdict[] _rejections;

    /// <summary>Initializes a new instance of the <see cref="RefusalAcceptanceCheck"/> class.</summary>
    /// <param name="phrases">The phrases that mark a refusal; <see langword="null"/> for <see cref="DefaultPhrases"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="phrases"/> holds a <see langword="null"/>, empty or whitespace phrase.</exception>
    public RefusalAcceptanceCheck(IEnumerable<string>? phrases = null)
    {
        string[] list = phrases is null ? [.. DefaultPhrases] : [.. phrases];
        for (int i = 0; i < list.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(list[i]))
            {
                throw new ArgumentException($"Refusal phrase {i} is empty: give phrases such as \"I can't help\".", nameof(phrases));
            }

            list[i] = Normalize(list[i]);
        }

        Phrases = list;
        _rejections = [.. list.Select(phrase => CascadeVerdict.Reject($"the answer is a refusal (its opening contains \"{phrase}\")"))];
    }

    /// <summary>Gets the phrases used when none are given: common English refusals and admissions of not knowing.</summary>
    public static IReadOnlyList<string> DefaultPhrases { get; } =
    [
        "I can't help", "I cannot help", "I can't assist", "I cannot assist", "I can't provide", "I cannot provide",
        "I can't answer", "I cannot answer", "I'm unable to", "I am unable to", "I'm not able to", "I am not able to",
        "I won't be able to", "I'm sorry, but", "I am sorry, but", "I apologize, but", "Sorry, I can't", "Sorry, I cannot",
        "As an AI", "I don't know", "I do not know",
    ];

    /// <summary>Gets the phrases this check looks for (typographic apostrophes replaced by straight ones).</summary>
    public IReadOnlyList<string> Phrases { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="attempt"/> is <see langword="null"/>.</exception>
    public ValueTask<CascadeVerdict> CheckAsync(CascadeAttempt attempt, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(attempt);
        ChatResponse response = attempt.Response;
        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            return new(Filtered);
        }

        string text = response.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            bool callsTools = response.Messages.Any(message => message.Contents.Any(content => content is FunctionCallContent));
            return new(callsTools ? CascadeVerdict.Accept : Empty);
        }

        string trimmed = text.TrimStart();
        string opening = Normalize(trimmed.Length > OpeningLength ? trimmed[..OpeningLength] : trimmed);
        for (int i = 0; i < Phrases.Count; i++)
        {
            if (opening.Contains(Phrases[i], StringComparison.OrdinalIgnoreCase))
            {
                return new(_rejections[i]);
            }
        }

        return new(CascadeVerdict.Accept);
    }

    private static string Normalize(string text) => text.Replace('\u2019', '\'').Replace('\u2018', '\'');
}
