namespace AiEng.Inference;

/// <summary>What became of one item of a batch run.</summary>
public enum BatchItemStatus
{
    /// <summary>The item was not processed: the run stopped first (a budget was exhausted, or an item failed and failures stop the run).</summary>
    NotRun,

    /// <summary>The item was processed, in this run or in an earlier one whose results file it came from.</summary>
    Succeeded,

    /// <summary>Processing the item threw; <see cref="BatchItemResult{TResult}.Error"/> says what.</summary>
    Failed,
}
