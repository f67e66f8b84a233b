using System.Runtime.CompilerServices;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiEng.Inference;

/// <summary>
/// Chat middleware that sends a request to the model it wraps first and escalates it to the next model of
/// <see cref="CascadeOptions.Models"/> while an <see cref="ICascadeAcceptanceCheck"/> rejects the answer. Added with
/// <c>ChatClientBuilder.UseCascade</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each request it sends carries its step (<see cref="CascadeProperties.Step"/>) in a copy of the options, so that the usage
/// tracking of each model's pipeline records it (<see cref="UsageRecord.CascadeStep"/>). A request that already carries a step
/// was sent by a cascade and goes to the wrapped model alone: cascades do not nest, so a cascade added to every model's
/// pipeline cannot loop.
/// </para>
/// <para>
/// A stream is buffered while its model may still be escalated from (its answer must be whole to be checked), and replayed
/// when accepted; the last model's stream is passed on as it arrives.
/// </para>
/// </remarks>
internal sealed class CascadeChatClient : DelegatingChatClient
{
    private readonly CascadeOptions _options;
    private readonly string[] _names;
    private readonly Lazy<IChatClient>[] _escalations;
    private readonly ILogger? _logger;

    public CascadeChatClient(IChatClient innerClient, CascadeOptions settings, IServiceProvider? services, ILogger? logger)
        : base(innerClient)
    {
        _options = settings;
        _logger = logger;
        string first = settings.FirstModelName
            ?? (innerClient.GetService<ChatClientMetadata>()?.DefaultModelId is { Length: > 0 } modelId ? modelId : "first");
        _names = [first, .. settings.Models.Select(model => model.Name)];
        // Named models are resolved when first escalated to, not here: building one model's pipeline must not build the others'.
        _escalations = [.. settings.Models.Select(model => new Lazy<IChatClient>(() => model.Client ?? NamedChatClients.Resolve(services, model.Name, "The cascade escalates to", "CascadeOptions.EscalateTo(client, name)")))];
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        if (CascadeProperties.GetStep(options?.AdditionalProperties) is not null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<ChatMessage> list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        List<string>? rejections = null;
        for (int step = 0; ; step++)
        {
            ChatResponse response;
            try
            {
                response = await Client(step).GetResponseAsync(list, WithStep(options, step), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (ShouldEscalate(exception, step, cancellationToken))
            {
                (rejections ??= []).Add(Failed(exception, step));
                continue;
            }

            if (!IsLast(step) && await CheckAsync(list, options, response, step, cancellationToken).ConfigureAwait(false) is string rejection)
            {
                (rejections ??= []).Add(rejection);
                continue;
            }

            Mark(response.AdditionalProperties ??= [], step, rejections);
            return response;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Throw.IfNull(messages);
        if (CascadeProperties.GetStep(options?.AdditionalProperties) is not null)
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        IReadOnlyList<ChatMessage> list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        List<string>? rejections = null;
        for (int step = 0; !IsLast(step); step++)
        {
            (List<ChatResponseUpdate>? updates, string? failure) = await BufferAsync(list, options, step, cancellationToken).ConfigureAwait(false);
            string? rejection = failure ?? await CheckAsync(list, options, updates!.ToChatResponse(), step, cancellationToken).ConfigureAwait(false);
            if (rejection is not null)
            {
                (rejections ??= []).Add(rejection);
                continue;
            }

            foreach (ChatResponseUpdate update in updates!)
            {
                Mark(update.AdditionalProperties ??= [], step, rejections);
                yield return update;
            }

            yield break;
        }

        int last = _names.Length - 1;
        await foreach (ChatResponseUpdate update in Client(last).GetStreamingResponseAsync(list, WithStep(options, last), cancellationToken).ConfigureAwait(false))
        {
            Mark(update.AdditionalProperties ??= [], last, rejections);
            yield return update;
        }
    }

    private bool IsLast(int step) => step == _names.Length - 1;

    private IChatClient Client(int step) => step == 0 ? InnerClient : _escalations[step - 1].Value;

    /// <summary>Reads a non-final model's stream to its end, or reports its failure when the cascade escalates on failures.</summary>
    private async Task<(List<ChatResponseUpdate>? Updates, string? Failure)> BufferAsync(
        IReadOnlyList<ChatMessage> messages, ChatOptions? options, int step, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        try
        {
            await foreach (ChatResponseUpdate update in Client(step).GetStreamingResponseAsync(messages, WithStep(options, step), cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
            }
        }
        catch (Exception exception) when (ShouldEscalate(exception, step, cancellationToken))
        {
            return (null, Failed(exception, step));
        }

        return (updates, null);
    }

    /// <summary>Runs the checks in order; returns the first rejection as <c>model: reason</c>, or <see langword="null"/> when all accept.</summary>
    private async ValueTask<string?> CheckAsync(
        IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatResponse response, int step, CancellationToken cancellationToken)
    {
        var attempt = new CascadeAttempt(messages, options, response, step, _names[step]);
        foreach (ICascadeAcceptanceCheck check in _options.AcceptanceChecks)
        {
            CascadeVerdict verdict = await check.CheckAsync(attempt, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The cascade acceptance check {check.GetType().Name} returned null; return CascadeVerdict.Accept or CascadeVerdict.Reject(reason).");
            if (!verdict.IsAccepted)
            {
                if (_logger is not null)
                {
                    CascadeLog.Escalated(_logger, _names[step], step, _names[step + 1]);
                }

                return $"{_names[step]}: {verdict.Reason}";
            }
        }

        return null;
    }

    /// <summary>Whether a model's failure escalates: only with <see cref="CascadeOptions.EscalateOnFailure"/>, never from the last model, never on cancellation of the request.</summary>
    private bool ShouldEscalate(Exception exception, int step, CancellationToken cancellationToken) =>
        _options.EscalateOnFailure && !IsLast(step) && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private string Failed(Exception exception, int step)
    {
        if (_logger is not null)
        {
            CascadeLog.EscalatedAfterFailure(_logger, exception, _names[step], step, _names[step + 1]);
        }

        return $"{_names[step]}: the model failed ({exception.GetType().Name})";
    }

    /// <summary>A copy of the options that carries the step, so that the model's usage tracking records it.</summary>
    private static ChatOptions WithStep(ChatOptions? options, int step)
    {
        ChatOptions copy = options?.Clone() ?? new ChatOptions();
        copy.AdditionalProperties = copy.AdditionalProperties?.Clone() ?? [];
        copy.AdditionalProperties[CascadeProperties.Step] = step;
        return copy;
    }

    private void Mark(AdditionalPropertiesDictionary properties, int step, List<string>? rejections)
    {
        properties[CascadeProperties.Step] = step;
        properties[CascadeProperties.Model] = _names[step];
        properties[CascadeProperties.Rejections] = rejections is null ? Array.Empty<string>() : rejections.ToArray();
    }
}
