namespace AiEng.Fuzz;

/// <summary>One fuzz target.</summary>
/// <param name="Name">The name the fuzz script and the replay tests use; also the folder of its corpus.</param>
/// <param name="Documented">The exception the API documents for bad input, or <see langword="null"/> when it documents none.</param>
/// <param name="Parse">Feeds the bytes to the parser.</param>
internal sealed record FuzzTarget(string Name, Type? Documented, Action<byte[]> Parse)
{
    /// <summary>Runs the parser over <paramref name="input"/>; the documented exception is caught, anything else escapes.</summary>
    /// <param name="input">The bytes.</param>
    public void Run(byte[] input)
    {
        try
        {
            Parse(input);
        }
        catch (Exception ex) when (IsDocumented(ex))
        {
            // Bad input reported the documented way.
        }
    }

    /// <summary>Whether <paramref name="exception"/> is the documented one and not caused by running out of memory or stack.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> when it is expected.</returns>
    public bool IsDocumented(Exception exception)
    {
        if (Documented is null || !Documented.IsInstanceOfType(exception))
        {
            return false;
        }

        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutOfMemoryException or InsufficientExecutionStackException or FuzzFindingException)
            {
                return false;
            }
        }

        return true;
    }
}
