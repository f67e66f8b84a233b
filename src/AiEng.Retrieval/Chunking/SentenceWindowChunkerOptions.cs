namespace AiEng.Retrieval;

/// <summary>Options of <see cref="SentenceWindowChunker"/>.</summary>
public sealed class SentenceWindowChunkerOptions
{
    /// <summary>Gets or sets how many sentences before and after each sentence its window holds. Default: 3.</summary>
    public int WindowSize { get; set; } = 3;

    /// <summary>Checks the options (the chunker reads the window size once, when created).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WindowSize"/> is negative.</exception>
    internal SentenceWindowChunkerOptions Validate()
    {
        if (WindowSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "The window size must be zero or positive.");
        }

        return this;
    }
}
