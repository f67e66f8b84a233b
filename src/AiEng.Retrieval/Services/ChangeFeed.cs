namespace AiEng.Retrieval;

/// <summary>
/// The keys written through a <see cref="ChangeTrackingCollection"/> since its subscriber last drained them, or the fact that
/// the collection changed in a way that cannot be told key by key (it was deleted). Thread-safe.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly Lock _lock = new();
    private HashSet<Guid> _keys = [];
    private bool _reset;
    private volatile bool _pending;

    /// <summary>Gets a value indicating whether a change arrived since the last <see cref="Drain"/>.</summary>
    public bool HasChanges => _pending;

    /// <summary>Records that the records of <paramref name="keys"/> may have changed.</summary>
    public void Add(IEnumerable<Guid> keys)
    {
        lock (_lock)
        {
            _keys.UnionWith(keys);
            _pending = true;
        }
    }

    /// <summary>Records that the collection changed as a whole: its subscriber must read all of it again.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _reset = true;
            _keys.Clear();
            _pending = true;
        }
    }

    /// <summary>Takes the changes recorded so far; later writes are recorded for the next drain.</summary>
    /// <returns>Whether the whole collection must be read again, and otherwise the changed keys.</returns>
    public (bool Reset, IReadOnlyCollection<Guid> Keys) Drain()
    {
        lock (_lock)
        {
            var drained = (_reset, (IReadOnlyCollection<Guid>)_keys);
            _keys = [];
            _reset = false;
            _pending = false;
            return drained;
        }
    }

    /// <summary>Puts back changes taken by <see cref="Drain"/> that could not be applied, so the next drain returns them again.</summary>
    public void Restore((bool Reset, IReadOnlyCollection<Guid> Keys) drained)
    {
        if (drained.Reset)
        {
            Reset();
        }
        else if (drained.Keys.Count > 0)
        {
            Add(drained.Keys);
        }
    }
}
