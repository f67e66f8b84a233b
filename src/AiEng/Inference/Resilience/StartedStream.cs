namespace AiEng.Inference;

/// <summary>A stream opened by <see cref="ModelCallResilience.StartStreamAsync"/>, positioned on its first item if it has one.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Enumerator">The enumerator; <see cref="IAsyncEnumerator{T}.Current"/> is the first item when <paramref name="HasItem"/> is set.</param>
/// <param name="HasItem">Whether the stream produced a first item.</param>
/// <param name="Source">The token source the stream is bound to (linked to the caller's token); disposed with the stream.</param>
internal readonly record struct StartedStream<T>(IAsyncEnumerator<T> Enumerator, bool HasItem, CancellationTokenSource Source) : IAsyncDisposable
{
    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Enumerator.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Source.Dispose();
        }
    }
}
