namespace AiEng.Samples.WebChat;

/// <summary>The body of <c>POST /api/ask</c>: the question and, for a follow-up, the conversation so far.</summary>
internal sealed class AskRequest
{
    /// <summary>The longest question accepted, in characters.</summary>
    public const int MaxQuestionLength = 2_000;

    /// <summary>The most earlier turns sent with a question (the page sends the latest ones).</summary>
    public const int MaxHistory = 8;

    /// <summary>Gets or sets the question.</summary>
    public string? Question { get; set; }

    /// <summary>Gets or sets the earlier turns, oldest first; a follow-up question is searched as a standalone one made from them.</summary>
    public IList<AskTurn>? History { get; set; }

    /// <summary>Returns what is wrong with the request, or <see langword="null"/> when it can be answered.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Question))
        {
            return "The question is empty: type a question and send it again.";
        }

        if (Question.Length > MaxQuestionLength)
        {
            return $"The question has {Question.Length} characters; at most {MaxQuestionLength} are accepted. Shorten it and send it again.";
        }

        if (History is { Count: > MaxHistory })
        {
            return $"The request carries {History.Count} earlier turns; at most {MaxHistory} are accepted (send the latest ones).";
        }

        int index = History?.ToList().FindIndex(turn => turn.Role is not ("user" or "assistant") || turn.Text is null || turn.Text.Length > MaxQuestionLength * 4) ?? -1;
        return index < 0 ? null : $"History[{index}] is not a turn: its role must be 'user' or 'assistant' and its text at most {MaxQuestionLength * 4} characters.";
    }
}

/// <summary>One earlier turn of the conversation.</summary>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Text">What was said.</param>
internal sealed record AskTurn(string Role, string Text);
