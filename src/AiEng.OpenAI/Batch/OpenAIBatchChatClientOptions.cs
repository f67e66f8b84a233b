using AiEng.Shared;

namespace AiEng.OpenAI;

/// <summary>Options of <see cref="OpenAIBatchChatClient"/>.</summary>
public sealed class OpenAIBatchChatClientOptions
{
    /// <summary>The default of <see cref="BatchDiscount"/>: OpenAI's Batch API costs half the synchronous price.</summary>
    public const decimal DefaultBatchDiscount = 0.5m;

    /// <summary>Gets or sets the chat model every line of the batch asks for, unless <c>ChatOptions.ModelId</c> names another. Required.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets how long to wait between two polls of the batch. The default is 30 seconds; zero polls without waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long to wait for the batch to end before cancelling it and throwing <see cref="TimeoutException"/>.
    /// The default is 25 hours: OpenAI's completion window is 24 hours, after which the batch ends <c>expired</c> by itself.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(25);

    /// <summary>Gets or sets the clock of the polls and of the usage records. The default is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the factor applied to the price table's cost of each answered line when it is recorded in the usage
    /// ledger. The default is <see cref="DefaultBatchDiscount"/> (0.5), OpenAI's documented Batch API discount.
    /// </summary>
    public decimal BatchDiscount { get; set; } = DefaultBatchDiscount;

    /// <summary>Checks the options, naming the property that is wrong.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("OpenAIBatchChatClientOptions.Model is required: set the chat model the batch runs, for example 'gpt-4o-mini'.", nameof(Model));
        }

        if (PollInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"OpenAIBatchChatClientOptions.PollInterval must not be negative; it is {PollInterval}.", nameof(PollInterval));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"OpenAIBatchChatClientOptions.Timeout must be positive; it is {Timeout}.", nameof(Timeout));
        }

        if (BatchDiscount is < 0m or > 1m)
        {
            throw new ArgumentException($"OpenAIBatchChatClientOptions.BatchDiscount must be between 0 and 1; it is {BatchDiscount}.", nameof(BatchDiscount));
        }

        Throw.IfNull(TimeProvider);
    }

    internal OpenAIBatchChatClientOptions Clone() => new()
    {
        Model = Model,
        PollInterval = PollInterval,
        Timeout = Timeout,
        TimeProvider = TimeProvider,
        BatchDiscount = BatchDiscount,
    };
}
