using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>What the chat handler of <see cref="OpenAITestServer"/> answers: the assistant's text and the usage to report.</summary>
public sealed class OpenAITestChatReply
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestChatReply"/> class.</summary>
    /// <param name="text">The assistant's answer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public OpenAITestChatReply(string text)
    {
        Text = Throw.IfNull(text);
    }

    /// <summary>Gets the assistant's answer. Streamed answers are split into one chunk per word (with its leading whitespace).</summary>
    public string Text { get; }

    /// <summary>Gets the <c>finish_reason</c>. The default is <c>stop</c>; OpenAI also uses <c>length</c> and <c>content_filter</c>.</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>Gets the model reported in the response; by default the requested one.</summary>
    public string? Model { get; init; }

    /// <summary>Gets <c>usage.prompt_tokens</c>; by default the number of words in all request messages.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Gets <c>usage.completion_tokens</c>; by default the number of words in <see cref="Text"/>.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Gets <c>usage.prompt_tokens_details.cached_tokens</c>. The default is 0.</summary>
    public int CachedTokens { get; init; }
}
