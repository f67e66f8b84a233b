using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>The one chat call of the query transformations: instructions as a system message, the query as the user message.</summary>
internal static class QueryRewriter
{
    /// <summary>Asks <paramref name="chatClient"/> and returns the reply's text (possibly empty).</summary>
    public static async Task<string> AskAsync(IChatClient chatClient, string instructions, string query, ChatOptions? options, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, instructions), new(ChatRole.User, query) };
        var response = await chatClient.GetResponseAsync(messages, options?.Clone(), cancellationToken).ConfigureAwait(false);
        return response.Text ?? string.Empty;
    }
}
