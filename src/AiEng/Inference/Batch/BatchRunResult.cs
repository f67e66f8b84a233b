namespace AiEng.Inference;

/// <summary>The results of a batch run, in the order of the input.</summary>
/// <typeparam name="TResult">The result type of one item.</typeparam>
public sealed class BatchRunResult<TResult>
{
    /// <summary>Initializes a new instance of the <see cref="BatchRunResult{TResult}"/> class.</summary>
    /// <param name="items">One result per input item, in input order.</param>
    /// <param name="budgetExceeded">The budget failure that stopped the run, if one did.</param>
    public BatchRunResult(IReadOnlyList<BatchItemResult<TResult>> items, BudgetExceededException? budgetExceeded)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        BudgetExceeded = budgetExceeded;
        foreach (var item in items)
        {
            switch (item.Status)
            {
                case BatchItemStatus.Succeeded:
                    Succeeded++;
                    break;
                case BatchItemStatus.Failed:
                    Failed++;
                    break;
                default:
                    NotRun++;
                    break;
            }

            Resumed += item.Resumed ? 1 : 0;
        }
    }

    /// <summary>Gets one result per input item, in input order.</summary>
    public IReadOnlyList<BatchItemResult<TResult>> Items { get; }

    /// <summary>Gets the items that succeeded, resumed ones included.</summary>
    public int Succeeded { get; }

    /// <summary>Gets the items that failed.</summary>
    public int Failed { get; }

    /// <summary>Gets the items not processed because the run stopped.</summary>
    public int NotRun { get; }

    /// <summary>Gets the items whose results came from the results file of an earlier run.</summary>
    public int Resumed { get; }

    /// <summary>Gets the budget failure that stopped the run before every item was processed, or <see langword="null"/>.</summary>
    /// <remarks>Raise the budget (or wait for its window) and run again with the same results file to finish the rest.</remarks>
    public BudgetExceededException? BudgetExceeded { get; }

    /// <summary>Gets a value indicating whether every item succeeded.</summary>
    public bool IsComplete => Succeeded == Items.Count;
}
