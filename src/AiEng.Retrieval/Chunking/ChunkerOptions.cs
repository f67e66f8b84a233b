namespace AiEng.Retrieval;

/// <summary>Options of the token-aware chunkers (<see cref="RecursiveTextChunker"/>, <see cref="MarkdownSectionChunker"/>): chunk size and overlap in tokens.</summary>
public sealed class ChunkerOptions
{
    /// <summary>Gets or sets the largest number of tokens in a chunk (only a single word larger than this exceeds it). Default: 512.</summary>
    public int ChunkSize { get; set; } = 512;

    /// <summary>Gets or sets how many tokens at the end of a chunk the next chunk may repeat; less than <see cref="ChunkSize"/>. Default: 64.</summary>
    public int ChunkOverlap { get; set; } = 64;

    /// <summary>Checks the options (the chunkers read them once, when created, and keep no reference to them).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ChunkSize"/> is less than 1, or <see cref="ChunkOverlap"/> is negative or not less than <see cref="ChunkSize"/>.</exception>
    internal ChunkerOptions Validate()
    {
        if (ChunkSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "The chunk size must be at least 1 token.");
        }

        if (ChunkOverlap < 0 || ChunkOverlap >= ChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkOverlap), ChunkOverlap, $"The chunk overlap must be at least 0 and less than the chunk size ({ChunkSize}).");
        }

        return this;
    }
}
