namespace AiEng.Inference;

/// <summary>How <see cref="UsageLedger.GetTotalsBy"/> groups records.</summary>
public enum UsageGrouping
{
    /// <summary>By <see cref="UsageRecord.Model"/>.</summary>
    Model = 0,

    /// <summary>By <see cref="UsageRecord.Operation"/> (<c>chat</c>, <c>embeddings</c>).</summary>
    Operation = 1,

    /// <summary>By <see cref="UsageRecord.CallerTag"/>; calls without a tag are grouped under the empty string.</summary>
    CallerTag = 2,

    /// <summary>By <see cref="UsageRecord.Provider"/>; calls without a provider are grouped under the empty string.</summary>
    Provider = 3,
}
