namespace AiEng.FineTuning;

/// <summary>How serious a problem found in training data is.</summary>
public enum FineTuningIssueSeverity
{
    /// <summary>The provider would reject the data, or the example teaches nothing; fix it before submitting.</summary>
    Error,

    /// <summary>The data is accepted but probably not what was meant (for example a near-duplicate); review it.</summary>
    Warning,
}
