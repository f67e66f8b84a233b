using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.FineTuning;

/// <summary>
/// Finds API keys and tokens (OpenAI, AWS, GitHub, JWT, bearer), e-mail addresses, phone numbers and payment card numbers
/// (Luhn-checked) in training examples, and redacts them with a typed placeholder such as <c>[REDACTED:EmailAddress]</c>.
/// </summary>
/// <remarks>
/// <para>Scanned: the text of every message, the string values of tool-call arguments and tool results. Findings name the
/// example and the field (a JSON path of the OpenAI format) and never hold the secret, so a report can be logged.</para>
/// <para>Patterns are checked most specific first and a later pattern never reports text an earlier one found (a card number
/// is not also a phone number). Every pattern match has a timeout, so no input makes a scan run away.</para>
/// <para>This is a safety net, not a guarantee: names, addresses and secrets in unusual shapes are not found.</para>
/// </remarks>
public static partial class SecretScanner
{
    private const int TimeoutMs = 1000;

    private static readonly (SecretKind Kind, Regex Pattern)[] Patterns =
    [
        (SecretKind.OpenAIApiKey, OpenAIKey()),
        (SecretKind.AwsAccessKeyId, AwsKey()),
        (SecretKind.GitHubToken, GitHubToken()),
        (SecretKind.JsonWebToken, JsonWebToken()),
        (SecretKind.BearerToken, BearerToken()),
        (SecretKind.EmailAddress, Email()),
        (SecretKind.PaymentCardNumber, CardNumber()),
        (SecretKind.PhoneNumber, PhoneNumber()),
    ];

    /// <summary>Gets the placeholder a secret of a kind is replaced with, for example <c>[REDACTED:EmailAddress]</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The placeholder.</returns>
    public static string Placeholder(SecretKind kind) => $"[REDACTED:{kind}]";

    /// <summary>Finds secrets and personal data in one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The kind, offset and length of each finding, in text order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<(SecretKind Kind, int Offset, int Length)> Find(string text)
    {
        Throw.IfNull(text);
        var found = new List<(SecretKind Kind, int Offset, int Length)>();
        foreach ((SecretKind kind, Regex pattern) in Patterns)
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (!Accept(kind, match.Value) || found.Any(f => match.Index < f.Offset + f.Length && f.Offset < match.Index + match.Length))
                {
                    continue;
                }

                found.Add((kind, match.Index, match.Length));
            }
        }

        found.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        return found;
    }

    /// <summary>Scans examples.</summary>
    /// <param name="examples">The examples.</param>
    /// <returns>The report: each finding by example and field.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    public static SecretScanReport Scan(IReadOnlyList<FineTuningExample> examples) => Redact(examples).Report;

    /// <summary>Scans examples and returns copies with every finding replaced by its <see cref="Placeholder"/>; the input is not changed.</summary>
    /// <param name="examples">The examples.</param>
    /// <returns>The redacted examples and the report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    public static SecretRedaction Redact(IReadOnlyList<FineTuningExample> examples)
    {
        Throw.IfNull(examples);
        var findings = new List<SecretFinding>();
        var redacted = new List<FineTuningExample>(examples.Count);
        for (int i = 0; i < examples.Count; i++)
        {
            FineTuningExample example = Throw.IfNull(examples[i], nameof(examples));
            int before = findings.Count;
            var messages = new List<ChatMessage>(example.Messages.Count);
            for (int m = 0; m < example.Messages.Count; m++)
            {
                messages.Add(RedactMessage(example.Messages[m], $"messages[{m}]", i, example.Id, findings));
            }

            redacted.Add(findings.Count == before ? example : new FineTuningExample(messages) { Tools = example.Tools, Id = example.Id, Label = example.Label });
        }

        return new SecretRedaction(redacted, new SecretScanReport(findings));
    }

    private static ChatMessage RedactMessage(ChatMessage message, string path, int index, string? id, List<SecretFinding> findings)
    {
        int before = findings.Count;
        int texts = message.Contents.Count(static c => c is TextContent);
        int textIndex = 0, callIndex = 0;
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    string field = texts > 1 ? $"{path}.content[{textIndex}]" : path + ".content";
                    textIndex++;
                    contents.Add(new TextContent(RedactText(text.Text, field, index, id, findings)));
                    break;
                case FunctionCallContent call:
                    string callPath = $"{path}.tool_calls[{callIndex++}].function.arguments";
                    Dictionary<string, object?>? arguments = call.Arguments is null ? null : new(call.Arguments.Count, StringComparer.Ordinal);
                    foreach (KeyValuePair<string, object?> argument in call.Arguments ?? new Dictionary<string, object?>())
                    {
                        arguments![argument.Key] = RedactValue(argument.Value, $"{callPath}.{argument.Key}", index, id, findings);
                    }

                    contents.Add(new FunctionCallContent(call.CallId, call.Name, arguments));
                    break;
                case FunctionResultContent result:
                    contents.Add(new FunctionResultContent(result.CallId, RedactText(OpenAIChatFormat.ResultText(result.Result), path + ".content", index, id, findings)));
                    break;
                default:
                    contents.Add(content);
                    break;
            }
        }

        if (findings.Count == before)
        {
            return message;
        }

        return new ChatMessage(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            AdditionalProperties = message.AdditionalProperties is null ? null : new AdditionalPropertiesDictionary(message.AdditionalProperties),
        };
    }

    private static object? RedactValue(object? value, string field, int index, string? id, List<SecretFinding> findings)
    {
        switch (value)
        {
            case string s:
                return RedactText(s, field, index, id, findings);
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return RedactText(e.GetString()!, field, index, id, findings);
            case JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } e:
                int before = findings.Count;
                string raw = RedactText(e.GetRawText(), field, index, id, findings);
                return findings.Count == before ? value : JsonDocument.Parse(raw).RootElement.Clone();
            default:
                return value;
        }
    }

    private static string RedactText(string text, string field, int index, string? id, List<SecretFinding> findings)
    {
        IReadOnlyList<(SecretKind Kind, int Offset, int Length)> found = Find(text);
        if (found.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int position = 0;
        foreach ((SecretKind kind, int offset, int length) in found)
        {
            findings.Add(new SecretFinding(kind, index, id, field, offset, length));
            result.Append(text, position, offset - position).Append(Placeholder(kind));
            position = offset + length;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private static bool Accept(SecretKind kind, string match)
    {
        switch (kind)
        {
            case SecretKind.PaymentCardNumber:
                string digits = DigitsOf(match);
                return digits.Length is >= 13 and <= 19 && PassesLuhn(digits);
            case SecretKind.PhoneNumber:
                int count = DigitsOf(match).Length;
                return count is >= 10 and <= 15 || (match.StartsWith('+') && count is >= 8 and <= 15);
            default:
                return true;
        }
    }

    private static string DigitsOf(string text) => string.Concat(text.Where(char.IsAsciiDigit));

    /// <summary>The Luhn (mod 10) check every payment card number passes.</summary>
    internal static bool PassesLuhn(string digits)
    {
        int sum = 0;
        bool doubleIt = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex OpenAIKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex JsonWebToken();

    [GeneratedRegex(@"\b[Bb]earer\s+[A-Za-z0-9._~+/-]{16,}=*", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"(?<![\w+])\+?\(?\d(?:[ ().-]{0,2}\d){7,14}(?!\w)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PhoneNumber();
}
