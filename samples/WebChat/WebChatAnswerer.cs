using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AiEng.Inference;
using AiEng.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AiEng.Samples.WebChat;

/// <summary>
/// Answers a question as a stream of <see cref="ChatEvents"/>: the registered chat client behind AiEng's
/// <c>UseRetrieval</c> (hybrid retrieval over the ingested documents, a numbered context, citations on the stream's last
/// update), streamed with <see cref="IChatClient.GetStreamingResponseAsync"/>.
/// </summary>
internal sealed partial class WebChatAnswerer
{
    private readonly IChatClient _rag;
    private readonly string _currency;
    private readonly ILogger<WebChatAnswerer> _logger;

    /// <summary>Initializes a new instance of the <see cref="WebChatAnswerer"/> class.</summary>
    /// <param name="chatClient">The registered chat client (AiEng's pipeline: usage, budgets, resilience around the provider).</param>
    /// <param name="retriever">The registered hybrid retriever.</param>
    /// <param name="usageOptions">The usage options, for the currency of costs.</param>
    /// <param name="logger">Logs failures (types and AiEng's messages, never the question or the key).</param>
    public WebChatAnswerer(IChatClient chatClient, IRetriever retriever, IOptions<UsageTrackingOptions> usageOptions, ILogger<WebChatAnswerer> logger)
    {
        // Not disposed: disposing the pipeline would dispose the container's client. A follow-up ("and its default?") is
        // condensed into a standalone question before retrieval: by the chat model, or offline by a heuristic.
        _rag = chatClient.AsBuilder()
            .UseRetrieval(retriever, options =>
            {
                options.Top = 6;
                options.Packing.MaxTokens = 1_500;
                options.ConversationQuery.Mode = ConversationQueryMode.Condense;
            })
            .Build();
        _currency = usageOptions.Value.Currency;
        _logger = logger;
    }

    /// <summary>Streams the answer to <paramref name="request"/>; never throws for a failed answer, which ends with an <c>error</c> event.</summary>
    /// <param name="request">The question and the conversation so far.</param>
    /// <param name="cancellationToken">The request's cancellation (the page went away).</param>
    /// <returns>The events, ending with <c>done</c>.</returns>
    public async IAsyncEnumerable<SseItem<string>> AnswerAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The answer is produced by one async method writing to a channel, so that the request's usage (an AsyncLocal, see
        // RequestUsageLedger) flows through every await of it: an iterator would resume in its reader's context instead.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        Task producing = ProduceAsync(request, events.Writer, stop.Token);
        try
        {
            await foreach (SseItem<string> item in events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            // The stream ended, or its reader stopped (the page went away and a write failed): stop the answer too.
            await stop.CancelAsync();
            await producing;
        }
    }

    private async Task ProduceAsync(AskRequest request, ChannelWriter<SseItem<string>> events, CancellationToken cancellationToken)
    {
        try
        {
            if (request.Validate() is { } problem)
            {
                await events.WriteAsync(ChatEvents.Error(problem), cancellationToken);
                await events.WriteAsync(ChatEvents.Done(), cancellationToken);
                return;
            }

            RequestUsage usage = RequestUsageLedger.Begin();
            var messages = (request.History ?? [])
                .Select(turn => new ChatMessage(turn.Role == "user" ? ChatRole.User : ChatRole.Assistant, turn.Text))
                .Append(new ChatMessage(ChatRole.User, request.Question))
                .ToList();

            IReadOnlyList<Citation> citations = [];
            ChatFinishReason? finishReason = null;
            bool answered = false;
            string? error = null;
            try
            {
                await foreach (ChatResponseUpdate update in _rag.GetStreamingResponseAsync(messages, cancellationToken: cancellationToken))
                {
                    if (update.Text is { Length: > 0 } text)
                    {
                        answered = true;
                        await events.WriteAsync(ChatEvents.Token(text), cancellationToken);
                    }

                    if (update.GetCitations() is { Count: > 0 } cited)
                    {
                        citations = cited;
                    }

                    finishReason = update.FinishReason ?? finishReason;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = Describe(ex);
            }

            // A stream that ended without text is a failed answer, and one the model stopped early says so: otherwise the
            // page would show a blank answer, or a cut one as if it were whole.
            if (error is null && !answered)
            {
                error = NoAnswer(finishReason);
            }

            if (error is not null)
            {
                await events.WriteAsync(ChatEvents.Error(error), cancellationToken);
            }
            else
            {
                if (CutShort(finishReason) is { } notice)
                {
                    await events.WriteAsync(ChatEvents.Notice(finishReason!.Value.Value, notice), cancellationToken);
                }

                foreach (Citation citation in citations)
                {
                    await events.WriteAsync(ChatEvents.Citation(citation), cancellationToken);
                }
            }

            await events.WriteAsync(ChatEvents.Usage(usage.Records, _currency), cancellationToken);
            await events.WriteAsync(ChatEvents.Done(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away: nobody reads the rest.
        }
        catch (Exception ex)
        {
            events.TryComplete(ex);
        }
        finally
        {
            events.TryComplete();
        }
    }

    /// <summary>The message for an answer stream that ended without any text.</summary>
    private string NoAnswer(ChatFinishReason? finishReason)
    {
        Log.NoAnswer(_logger, finishReason?.Value ?? "(none)");
        return finishReason == ChatFinishReason.ContentFilter
            ? "The model's content filter stopped the answer before it began (finish reason: content_filter). Rephrase the question."
            : $"The model returned an answer with no text (finish reason: {finishReason?.Value ?? "none"}). Try again.";
    }

    /// <summary>The notice for an answer the model stopped before its end, or <see langword="null"/> for a finished one.</summary>
    private static string? CutShort(ChatFinishReason? finishReason) =>
        finishReason == ChatFinishReason.Length
            ? "The answer was cut short at the model's output-token limit (finish reason: length). Ask for a shorter answer, or raise the chat model's MaxOutputTokens."
            : finishReason == ChatFinishReason.ContentFilter
                ? "The model's content filter stopped the answer part way (finish reason: content_filter); what is shown is incomplete."
                : null;

    /// <summary>A message for the page: AiEng's own (which name the setting to change and never hold keys or prompts), or a generic one.</summary>
    private string Describe(Exception exception)
    {
        switch (exception)
        {
            case BudgetExceededException budget:
                Log.BudgetExceeded(_logger, budget.BudgetName);
                return "This question was not sent to the model: " + budget.Message;
            case ModelRequestException model:
                Log.ModelFailed(_logger, model.ProviderName ?? "(unknown)", model.StatusCode ?? 0, model.Attempts);
                return "The question could not be answered: " + model.Message;
            case HttpRequestException http:
                Log.ProviderUnreachable(_logger, http.HttpRequestError.ToString(), (int?)http.StatusCode ?? 0);
                return "The model provider could not be reached or failed (" + (http.StatusCode is { } status ? "HTTP " + (int)status : http.HttpRequestError.ToString()) + "). Try again later, or check AiEng:Chat:Endpoint.";
            default:
                // The full exception goes to the server log only; the page gets its type.
                Log.AnswerFailed(_logger, exception.GetType().Name, exception);
                return $"The answer failed with an unexpected error ({exception.GetType().Name}); the server log has the details.";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A question was refused by the usage budget '{Budget}'.")]
        public static partial void BudgetExceeded(ILogger logger, string budget);

        [LoggerMessage(2, LogLevel.Warning, "The model call failed (provider {Provider}, HTTP status {Status}, {Attempts} attempts).")]
        public static partial void ModelFailed(ILogger logger, string provider, int status, int attempts);

        [LoggerMessage(3, LogLevel.Warning, "The model provider could not be reached ({Error}, HTTP status {Status}).")]
        public static partial void ProviderUnreachable(ILogger logger, string error, int status);

        [LoggerMessage(4, LogLevel.Error, "An answer failed with {Type}.")]
        public static partial void AnswerFailed(ILogger logger, string type, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "The model returned an answer with no text (finish reason {FinishReason}).")]
        public static partial void NoAnswer(ILogger logger, string finishReason);
    }
}
