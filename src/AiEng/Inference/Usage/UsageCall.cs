namespace AiEng.Inference;

/// <summary>A call being tracked: what it asked for, who made it and when it started.</summary>
/// <param name="RequestModel">The model the call asked for (see <see cref="UsageTracker.Resolve"/>).</param>
/// <param name="CallerTag">The caller tag, if any.</param>
/// <param name="StartedAt">The wall-clock start, recorded as <see cref="UsageRecord.Timestamp"/>.</param>
/// <param name="StartTimestamp">The <see cref="TimeProvider.GetTimestamp"/> at the start, for the latency.</param>
/// <param name="Prompt">The rendered prompt the call cites (<c>name@version</c>), if any.</param>
/// <param name="PromptHash">The content hash of that prompt, if any.</param>
/// <param name="CascadeStep">The position of the model in the cascade that sent the call (<see cref="CascadeProperties.Step"/>), if any.</param>
internal readonly record struct UsageCall(
    string RequestModel, string? CallerTag, DateTimeOffset StartedAt, long StartTimestamp, string? Prompt = null, string? PromptHash = null, int? CascadeStep = null);
