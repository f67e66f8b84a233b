using Microsoft.Extensions.Logging;

namespace AiEng.Onnx;

/// <summary>Log messages of AiEng.Onnx. They carry counts and model ids, never the texts.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Truncated {TruncatedCount} of {InputCount} inputs to {MaxSequenceLength} tokens for embedding model {ModelId}; the words after the cut do not count. Split long texts into chunks before embedding them.")]
    public static partial void InputsTruncated(ILogger logger, int truncatedCount, int inputCount, int maxSequenceLength, string modelId);
}
