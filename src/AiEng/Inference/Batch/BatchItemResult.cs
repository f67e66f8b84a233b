namespace AiEng.Inference;

/// <summary>The result of one item of a batch run.</summary>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class BatchItemResult<TResult>
{
    /// <summary>Initializes a new instance of the <see cref="BatchItemResult{TResult}"/> class.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="index">The item's position in the input.</param>
    /// <param name="status">What became of it.</param>
    /// <param name="value">Its result, when it succeeded.</param>
    /// <param name="error">What went wrong, when it failed.</param>
    /// <param name="resumed">Whether the result came from the results file of an earlier run.</param>
    public BatchItemResult(string id, int index, BatchItemStatus status, TResult? value, string? error, bool resumed)
    {
        Id = id;
        Index = index;
        Status = status;
        Value = value;
        Error = error;
        Resumed = resumed;
    }

    /// <summary>Gets the item's id.</summary>
    public string Id { get; }

    /// <summary>Gets the item's position in the input.</summary>
    public int Index { get; }

    /// <summary>Gets what became of the item.</summary>
    public BatchItemStatus Status { get; }

    /// <summary>Gets the item's result when it succeeded, else the default.</summary>
    public TResult? Value { get; }

    /// <summary>Gets the failure's type and message when the item failed, else <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>Gets a value indicating whether the result came from the results file of an earlier run, without processing the item again.</summary>
    public bool Resumed { get; }
}
