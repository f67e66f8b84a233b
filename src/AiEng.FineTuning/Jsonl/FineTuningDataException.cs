namespace AiEng.FineTuning;

/// <summary>
/// A training-data file is malformed. The message names the file, the line and the field (as a JSON path) and says how to
/// fix it; <see cref="Errors"/> lists every problem found (one, unless <see cref="FineTuningJsonlOptions.CollectAllErrors"/> is set).
/// </summary>
public sealed class FineTuningDataException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FineTuningDataException"/> class.</summary>
    public FineTuningDataException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FineTuningDataException"/> class.</summary>
    /// <param name="message">The message.</param>
    public FineTuningDataException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FineTuningDataException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FineTuningDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FineTuningDataException"/> class for problems found in a file.</summary>
    /// <param name="errors">The problems, at least one; the first is the exception's location.</param>
    /// <param name="innerException">The cause of the first problem, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public FineTuningDataException(IReadOnlyList<FineTuningDataError> errors, Exception? innerException)
        : base(Describe(errors), innerException)
    {
        Errors = errors;
        FilePath = errors[0].Source;
        LineNumber = errors[0].LineNumber;
        Field = errors[0].Field;
    }

    /// <summary>Gets the file (or source name) of the first problem, if known.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the 1-based line number of the first problem, or 0 when not known.</summary>
    public int LineNumber { get; }

    /// <summary>Gets the JSON path of the field of the first problem, or <see langword="null"/> when it is the whole line or not known.</summary>
    public string? Field { get; }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<FineTuningDataError> Errors { get; } = [];

    private static string Describe(IReadOnlyList<FineTuningDataError> errors)
    {
        if (errors is null || errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        if (errors.Count == 1)
        {
            return errors[0].ToString();
        }

        const int Shown = 10;
        string list = string.Join(Environment.NewLine, errors.Take(Shown).Select(static e => "  " + e));
        string more = errors.Count > Shown ? $"{Environment.NewLine}  ... and {errors.Count - Shown} more (see Errors)" : string.Empty;
        return $"{errors.Count} problems in '{errors[0].Source}':{Environment.NewLine}{list}{more}";
    }
}
