namespace AiEng.FineTuning;

/// <summary>A field of one JSON line is wrong; the reader adds the file and line and turns it into a <see cref="FineTuningDataError"/>.</summary>
internal sealed class JsonFieldException : Exception
{
    public JsonFieldException(string? field, string problem, Exception? innerException = null)
        : base(problem, innerException)
    {
        Field = field;
    }

    public string? Field { get; }
}
