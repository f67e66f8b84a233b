namespace AiEng.Tests.TestSupport;

/// <summary>An <see cref="IProgress{T}"/> that keeps every report synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class CollectingProgress<T> : IProgress<T>
{
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Report(T value)
    {
        lock (_items)
        {
            _items.Add(value);
        }
    }
}
