namespace AiEng.Inference;

/// <summary>The operation names recorded in <see cref="UsageRecord.Operation"/> and used by <see cref="UsageBudget.Operation"/>, following the OpenTelemetry GenAI conventions (<c>gen_ai.operation.name</c>).</summary>
public static class UsageOperations
{
    /// <summary>A chat completion.</summary>
    public const string Chat = "chat";

    /// <summary>An embeddings request.</summary>
    public const string Embeddings = "embeddings";

    /// <summary>The model id recorded when neither the response, the options nor the client metadata name one.</summary>
    public const string UnknownModel = "unknown";
}
