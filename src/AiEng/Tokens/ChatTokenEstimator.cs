using System.Text.Json;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Tokens;

/// <summary>
/// Estimates the tokens a chat request or response uses, following OpenAI's published counting scheme for chat models:
/// every message costs <see cref="TokensPerMessage"/> tokens of framing plus its role and content, a message with an
/// author name one more (<see cref="TokensPerName"/>) plus the name, and every reply is primed with
/// <see cref="ReplyPrimingTokens"/> tokens.
/// </summary>
/// <remarks>
/// The result is an estimate: the framing differs between model versions and providers, and tool (function) definitions
/// in <see cref="ChatOptions.Tools"/>, images, audio and other binary content are not counted. Function calls count their
/// name and JSON arguments, function results their value (as text or JSON).
/// </remarks>
public static class ChatTokenEstimator
{
    /// <summary>The framing tokens every message costs (OpenAI's scheme for current chat models).</summary>
    public const int TokensPerMessage = 3;

    /// <summary>The extra token a message with an author name costs.</summary>
    public const int TokensPerName = 1;

    /// <summary>The tokens that prime every reply (<c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>).</summary>
    public const int ReplyPrimingTokens = 3;

    /// <summary>Estimates the input tokens of a chat request.</summary>
    /// <param name="counter">The tokenizer of the model.</param>
    /// <param name="messages">The messages sent.</param>
    /// <param name="options">The request options; their <see cref="ChatOptions.Instructions"/>, if any, count as one more (system) message.</param>
    /// <returns>The estimated number of input tokens, including framing and reply priming.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counter"/> or <paramref name="messages"/> is <see langword="null"/>.</exception>
    public static int CountTokens(ITokenCounter counter, IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        Throw.IfNull(counter);
        Throw.IfNull(messages);

        int total = ReplyPrimingTokens;
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            total += TokensPerMessage + counter.CountTokens(ChatRole.System.Value) + counter.CountTokens(options.Instructions);
        }

        foreach (ChatMessage message in messages)
        {
            total += TokensPerMessage + counter.CountTokens(message.Role.Value) + CountContentTokens(counter, message.Contents);
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                total += TokensPerName + counter.CountTokens(message.AuthorName);
            }
        }

        return total;
    }

    /// <summary>Estimates the tokens of message contents alone, without framing (for example the output of a response).</summary>
    /// <param name="counter">The tokenizer of the model.</param>
    /// <param name="contents">The contents.</param>
    /// <returns>The estimated number of tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counter"/> or <paramref name="contents"/> is <see langword="null"/>.</exception>
    public static int CountContentTokens(ITokenCounter counter, IEnumerable<AIContent> contents)
    {
        Throw.IfNull(counter);
        Throw.IfNull(contents);

        int total = 0;
        foreach (AIContent content in contents)
        {
            total += content switch
            {
                TextContent text => Count(counter, text.Text),
                TextReasoningContent reasoning => Count(counter, reasoning.Text),
                FunctionCallContent call => Count(counter, call.Name) + (call.Arguments is { Count: > 0 } arguments ? Count(counter, Serialize(arguments)) : 0),
                FunctionResultContent result => Count(counter, result.Result as string ?? (result.Result is null ? null : Serialize(result.Result))),
                _ => 0,
            };
        }

        return total;
    }

    // MEAI's defaults, written compactly as providers receive arguments (the defaults indent).
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private static int Count(ITokenCounter counter, string? text) => string.IsNullOrEmpty(text) ? 0 : counter.CountTokens(text);

    private static string Serialize(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, CompactJson.GetTypeInfo(value.GetType()));
        }
        catch (NotSupportedException)
        {
            // No JSON contract for the type (for example with reflection disabled): its text is a good enough estimate.
            return value.ToString() ?? string.Empty;
        }
    }
}
