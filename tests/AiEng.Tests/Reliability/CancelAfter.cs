using AiEng.Inference;

namespace AiEng.Tests.Reliability;

/// <summary>Cancels a batch run once it has finished a number of items of its own.</summary>
internal sealed class CancelAfter(int items, CancellationTokenSource cancellation) : IProgress<BatchProgress>
{
    public void Report(BatchProgress value)
    {
        if (value.Completed - value.Resumed >= items)
        {
            cancellation.Cancel();
        }
    }
}
