using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>One judge request: renders the prompt, calls the judge deterministically (temperature 0, JSON output) and parses the reply; every failure becomes an error message, never an exception.</summary>
internal static class JudgeCall
{
    public static async Task<(JsonElement Root, string? Error)> AskAsync(
        ChatConfiguration? chatConfiguration, string prompt, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        if (chatConfiguration?.ChatClient is not { } client)
        {
            return (default, "No judge is configured: pass a ChatConfiguration with a chat client (EvaluationRunnerOptions.JudgeChatClient). With AddEvaluation, configure a language model as the judge (AiEng:Chat, or AiEng:Evaluation:JudgeModel naming one of AiEng:ChatModels): the offline extractive responder is not a judge.");
        }

        ChatResponse response;
        try
        {
            var options = new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json };
            var (messages, _) = JudgePrompt.Render(prompt, values);
            response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, $"The judge call failed ({ex.GetType().Name}: {ex.Message}).");
        }

        return JudgeOutput.TryParseObject(response.Text, out var root, out string error) ? (root, null) : (default, error);
    }

    /// <summary>Asks the judge and reads an array property of its JSON reply; every failure becomes the error message.</summary>
    public static async Task<(JsonElement Root, JsonElement[] Items, string? Error)> AskForArrayAsync(
        ChatConfiguration? chatConfiguration, string prompt, IReadOnlyDictionary<string, string> values, string property, CancellationToken cancellationToken)
    {
        var (root, error) = await AskAsync(chatConfiguration, prompt, values, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return (root, [], error);
        }

        return TryGetArray(root, property, out var items, out error) ? (root, items, null) : (root, [], error);
    }

    public static string Numbered(IEnumerable<string> items) =>
        string.Join("\n", items.Select(static (item, i) => $"[{i + 1}] {item}"));

    /// <summary>Reads an array property of objects, or reports why it cannot.</summary>
    public static bool TryGetArray(JsonElement root, string property, out JsonElement[] items, out string error)
    {
        items = [];
        error = string.Empty;
        if (root.ValueKind != JsonValueKind.Object || !JudgeOutput.TryGetPropertyIgnoreCase(root, property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = $"The judge's JSON has no '{property}' array.";
            return false;
        }

        items = array.EnumerateArray().ToArray();
        return true;
    }

    /// <summary>
    /// Reads the yes/no <paramref name="property"/> of every item, one per judged thing. Returns an error message when the
    /// judge gave another number of verdicts than <paramref name="expected"/> or a verdict without a readable yes/no.
    /// </summary>
    public static string? TryReadVerdicts(JsonElement[] items, string property, int expected, string judged, out bool[] verdicts)
    {
        bool?[] read = items.Select(item => Verdict(item, property)).ToArray();
        if (read.Length != expected || read.Any(static v => v is null))
        {
            verdicts = [];
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The judge returned {read.Length} verdicts for {expected} {judged}, or a verdict without a yes/no '{property}'.");
        }

        verdicts = read.Select(static v => v!.Value).ToArray();
        return null;
    }

    /// <summary>Reads a boolean verdict that may be a JSON boolean, "yes"/"no", "true"/"false" or 1/0.</summary>
    public static bool? Verdict(JsonElement item, string property)
    {
        if (item.ValueKind != JsonValueKind.Object || !JudgeOutput.TryGetPropertyIgnoreCase(item, property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out int n) && n is 0 or 1 => n == 1,
            JsonValueKind.String => value.GetString()?.Trim().ToLowerInvariant() switch
            {
                "yes" or "true" or "1" => true,
                "no" or "false" or "0" => false,
                _ => null,
            },
            _ => null,
        };
    }

    public static string Question(IEnumerable<ChatMessage> messages) =>
        messages.TryGetUserRequest(out var request) ? request.Text : messages.LastOrDefault(static m => m.Role == ChatRole.User)?.Text ?? string.Empty;
}
