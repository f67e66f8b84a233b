using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiEng.Retrieval;

/// <summary>
/// Reads the relevance scores a judge model wrote for numbered passages, as tolerantly as possible: a JSON array of
/// <c>{"index": i, "score": s}</c> anywhere in the text (code fences and prose around it are ignored, trailing commas and
/// comments allowed, numbers given as strings accepted), else <c>index: i ... score: s</c> pairs found by pattern.
/// </summary>
/// <remarks>
/// Indexes outside <c>0..count-1</c> and scores that are not finite numbers are ignored; scores are clamped to 0..10; the
/// first score of an index counts. It never throws: output it cannot read gives no scores.
/// </remarks>
internal static partial class RelevanceJudgmentParser
{
    private const int MaxJsonAttempts = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses <paramref name="text"/> for the scores of passages <c>0..count-1</c>.</summary>
    public static Dictionary<int, double> Parse(string? text, int count)
    {
        var scores = new Dictionary<int, double>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return scores;
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int attempts = 0;
        for (int start = Array.IndexOf(utf8, (byte)'['); start >= 0 && attempts < MaxJsonAttempts; start = Array.IndexOf(utf8, (byte)'[', start + 1))
        {
            attempts++;
            if (TryReadArray(utf8.AsSpan(start), count, scores) && scores.Count > 0)
            {
                return scores;
            }
        }

        foreach (Match match in PairPattern().Matches(text))
        {
            Add(scores, count, match.Groups["index"].Value, match.Groups["score"].Value);
        }

        return scores;
    }

    private static bool TryReadArray(ReadOnlySpan<byte> json, int count, Dictionary<int, double> scores)
    {
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object
                    && Find(element, "index", "id", "idx", "passage", "i") is { } index
                    && Find(element, "score", "relevance", "rating", "s") is { } score)
                {
                    Add(scores, count, index, score);
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Find(JsonElement element, params ReadOnlySpan<string> names)
    {
        foreach (var property in element.EnumerateObject())
        {
            foreach (string name in names)
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind switch
                    {
                        JsonValueKind.Number => property.Value.GetRawText(),
                        JsonValueKind.String => property.Value.GetString(),
                        _ => null,
                    };
                }
            }
        }

        return null;
    }

    private static void Add(Dictionary<int, double> scores, int count, string indexText, string scoreText)
    {
        var number = LeadingNumberPattern().Match(indexText);
        if (!number.Success || !double.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double indexValue)
            || indexValue != Math.Floor(indexValue) || indexValue < 0 || indexValue >= count)
        {
            return;
        }

        number = LeadingNumberPattern().Match(scoreText);
        if (!number.Success || !double.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double score) || !double.IsFinite(score))
        {
            return;
        }

        scores.TryAdd((int)indexValue, Math.Clamp(score, 0, 10));
    }

    [GeneratedRegex(@"^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNumberPattern();

    [GeneratedRegex(@"(?:index|id|passage)[""']?\s*[:=#]?\s*[""']?(?<index>\d+)[^0-9\[\]{}]*?(?:score|relevance|rating)[""']?\s*[:=]\s*[""']?(?<score>-?\d+(?:\.\d+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PairPattern();
}
