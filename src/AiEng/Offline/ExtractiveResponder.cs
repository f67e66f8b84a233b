using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;

namespace AiEng.Offline;

/// <summary>
/// The offline default chat client. It is <b>not a language model</b>: it answers the last user question by quoting the
/// context sentences that match it best, with citations, and says that no model is configured and how to configure one.
/// </summary>
/// <remarks>
/// <para>
/// Context is every system, user and tool message other than the question (its own earlier answers, assistant messages, are
/// not context), plus a block after a <c>Context:</c>, <c>Sources:</c> or <c>Documents:</c> header in the question's own
/// message. Lines that start with <c>[n]</c> begin numbered source <c>n</c>; a sentence from a source is cited as <c>[n]</c>,
/// any other sentence by the number of its message (<c>[2]</c> for the second message, or <c>[message 2]</c> when the context
/// also has numbered sources), explained in a <c>Sources</c> line.
/// </para>
/// <para>
/// Sentences are ranked by the question terms they share (case-folded, punctuation and a small stop-word list removed, light
/// suffix stripping), each weighted by an IDF over the context sentences and saturated by length as in BM25. At most
/// <see cref="MaxSentences"/> sentences are quoted, best first; ties go to the earlier sentence, so answers are deterministic.
/// When no sentence shares a term with the question the answer says so instead of guessing.
/// </para>
/// <para>
/// Usage is counted with the <see cref="ITokenCounter"/> given: input is the text of every message (tool results included),
/// output the answer.
/// </para>
/// </remarks>
public sealed class ExtractiveResponder : IChatClient
{
    /// <summary>The provider name in <see cref="ChatClientMetadata"/>: <c>aieng-offline</c>.</summary>
    public const string ProviderName = "aieng-offline";

    /// <summary>The model id reported in <see cref="ChatClientMetadata"/> and responses: <c>extractive-responder</c>.</summary>
    public const string ModelId = "extractive-responder";

    /// <summary>The most sentences an answer quotes: 3.</summary>
    public const int MaxSentences = 3;

    /// <summary>The notice that ends every answer: no language model is configured, and how to configure one.</summary>
    internal const string NoModelNotice =
        "Note: no language model is configured, so this answer was assembled by AiEng's offline extractive responder, which only quotes " +
        "the context. To use a model, set AiEng__Chat__Provider=OpenAI, AiEng__Chat__Model=gpt-4o-mini and AiEng__Chat__ApiKey=<your key> " +
        "(package AiEng.OpenAI, .AddOpenAI()), or AiEng__Chat__Provider=Ollama, AiEng__Chat__Endpoint=http://localhost:11434 and " +
        "AiEng__Chat__Model=llama3.2 (package AiEng.Ollama, .AddOllama()).";

    private readonly ITokenCounter _tokenCounter;
    private readonly ChatClientMetadata _metadata = new(ProviderName, providerUri: null, defaultModelId: ModelId);

    /// <summary>Initializes a new instance of the <see cref="ExtractiveResponder"/> class.</summary>
    /// <param name="tokenCounter">Counts the tokens reported in <see cref="ChatResponse.Usage"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenCounter"/> is <see langword="null"/>.</exception>
    public ExtractiveResponder(ITokenCounter tokenCounter)
    {
        _tokenCounter = Throw.IfNull(tokenCounter);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var (answer, usage) = Answer(messages.ToList());
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = usage,
        });
    }

    /// <inheritdoc />
    /// <remarks>Yields the same text as <see cref="GetResponseAsync"/>, a word at a time, then an update with the usage.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        return StreamAsync(messages.ToList(), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release.
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(List<ChatMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (answer, usage) = Answer(messages);
        var start = 0;
        while (start < answer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start;
            while (end < answer.Length && !char.IsWhiteSpace(answer[end]))
            {
                end++;
            }

            while (end < answer.Length && char.IsWhiteSpace(answer[end]))
            {
                end++;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, answer[start..end]) { ModelId = ModelId };
            start = end;
            await Task.Yield();
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)])
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    private (string Answer, UsageDetails Usage) Answer(List<ChatMessage> messages)
    {
        var context = ConversationContext.Read(messages);
        var text = new StringBuilder();
        if (context.Question.Length == 0)
        {
            text.Append("There is no user question to answer.");
        }
        else if (context.Sentences.Count == 0)
        {
            text.Append("No context was given (no system message, earlier message or context block), so there is nothing to quote and no answer to give.");
        }
        else if (SentenceRanker.Rank(context.Question, context.Sentences, MaxSentences) is { Count: > 0 } quoted)
        {
            text.Append("The most relevant passages of the context:\n");
            foreach (var sentence in quoted)
            {
                text.Append("- \"").Append(sentence.Text).Append("\" ").Append(sentence.Citation).Append('\n');
            }

            var notes = quoted.Where(sentence => sentence.MessageNote is not null).DistinctBy(sentence => sentence.Citation).ToList();
            if (notes.Count > 0)
            {
                text.Append("Sources: ").AppendJoin("; ", notes.Select(sentence => $"{sentence.Citation} {sentence.MessageNote}")).Append('\n');
            }
        }
        else
        {
            text.Append("Nothing in the context matches the question, so there is nothing to quote and no answer to give.");
        }

        var answer = text.ToString().TrimEnd('\n') + "\n\n" + NoModelNotice;
        var input = _tokenCounter.CountTokens(string.Join("\n", messages.Select(ConversationContext.TextOf)));
        var output = _tokenCounter.CountTokens(answer);
        return (answer, new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output });
    }
}
