using System.ComponentModel.DataAnnotations;
using AiEng.Configuration;
using AiEng.Shared;

namespace AiEng.OpenAI;

/// <summary>
/// Options of <see cref="OpenAIBatchChatClient"/>. <c>AddOpenAIBatch()</c> binds them from <c>AiEng:Batch:OpenAI</c> and
/// checks them when the host starts.
/// </summary>
public sealed class OpenAIBatchChatClientOptions
{
    /// <summary>The configuration section, below AiEng's: <c>Batch:OpenAI</c>.</summary>
    public const string SectionName = "Batch:OpenAI";

    /// <summary>The default of <see cref="BatchDiscount"/>: OpenAI's Batch API costs half the synchronous price.</summary>
    public const decimal DefaultBatchDiscount = 0.5m;

    /// <summary>
    /// Gets or sets the chat model every line of the batch asks for, unless <c>ChatOptions.ModelId</c> names another.
    /// Required when the client is created directly; <c>AddOpenAIBatch()</c> defaults it to the model of
    /// <see cref="ChatModel"/>.
    /// </summary>
    [ConfigurationExample("gpt-4o-mini")]
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the name of the chat model under <c>AiEng:ChatModels</c> whose OpenAI endpoint, API key, organization
    /// and project <c>AddOpenAIBatch()</c> sends the batches to; <see langword="null"/> (the default) for the default chat
    /// model, <c>AiEng:Chat</c>. That model's provider must be <c>OpenAI</c>. Not used when the client is created directly.
    /// </summary>
    [ConfigurationExample("cheap")]
    public string? ChatModel { get; set; }

    /// <summary>Gets or sets how long to wait between two polls of the batch. The default is 30 seconds; zero polls without waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "{0} must be between zero and one day, for example 00:00:30")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long to wait for the batch to end before cancelling it and throwing <see cref="TimeoutException"/>.
    /// The default is 25 hours: OpenAI's completion window is 24 hours, after which the batch ends <c>expired</c> by itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00", ErrorMessage = "{0} must be positive and at most 30 days, for example 1.01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(25);

    /// <summary>Gets or sets the clock of the polls and of the usage records. The default is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the factor applied to the price table's cost of each answered line when it is recorded in the usage
    /// ledger. The default is <see cref="DefaultBatchDiscount"/> (0.5), OpenAI's documented Batch API discount.
    /// </summary>
    [Range(typeof(decimal), "0", "1", ErrorMessage = "{0} must be a factor between 0 and 1, for example 0.5")]
    public decimal BatchDiscount { get; set; } = DefaultBatchDiscount;

    /// <summary>
    /// Checks the options of a client created directly, with the same data annotations <c>AddOpenAIBatch()</c> checks at
    /// start-up, naming the property that is wrong.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    internal void Validate()
    {
        Throw.IfNull(TimeProvider);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Model))
        {
            errors.Add("OpenAIBatchChatClientOptions.Model is required: set the chat model the batch runs, for example 'gpt-4o-mini'.");
        }

        var result = new OpenAIBatchChatClientOptionsAnnotationValidator().Validate(null, this);
        if (result.Failed)
        {
            errors.AddRange(result.Failures.Select(failure => "OpenAIBatchChatClientOptions." + failure));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.TrimEnd('.') + ".")));
        }
    }

    internal OpenAIBatchChatClientOptions Clone() => new()
    {
        Model = Model,
        ChatModel = ChatModel,
        PollInterval = PollInterval,
        Timeout = Timeout,
        TimeProvider = TimeProvider,
        BatchDiscount = BatchDiscount,
    };
}
