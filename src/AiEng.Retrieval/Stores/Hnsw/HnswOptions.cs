namespace AiEng.Retrieval;

/// <summary>
/// Parameters of the HNSW graph of an <see cref="InMemoryVectorStore"/> collection that uses <c>IndexKind.Hnsw</c>
/// (set through <see cref="InMemoryVectorStoreOptions.Hnsw"/>). The defaults (M 16, efConstruction 200, efSearch 64) are the common
/// starting point of hnswlib and FAISS for embeddings of a few hundred dimensions: recall@10 around 0.95 to 0.99 at a
/// small fraction of the cost of an exact scan.
/// </summary>
/// <remarks>
/// The store copies the options when it is created; changing them afterwards has no effect on it. <see cref="M"/>,
/// <see cref="EfConstruction"/>, <see cref="EfSearch"/> and <see cref="Seed"/> are saved with the graph (<see cref="InMemoryVectorStoreCollection{TKey, TRecord}.SaveIndexAsync"/>);
/// <see cref="MaxDegreeOfParallelism"/> is not, because it never changes the graph.
/// </remarks>
public sealed class HnswOptions
{
    /// <summary>The default <see cref="M"/>: 16.</summary>
    public const int DefaultM = 16;

    /// <summary>The default <see cref="EfConstruction"/>: 200.</summary>
    public const int DefaultEfConstruction = 200;

    /// <summary>The default <see cref="EfSearch"/>: 64.</summary>
    public const int DefaultEfSearch = 64;

    /// <summary>The default <see cref="Seed"/>: 42.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The largest allowed <see cref="M"/>: 128.</summary>
    public const int MaxM = 128;

    /// <summary>The largest allowed <see cref="EfConstruction"/> and <see cref="EfSearch"/>: 65,536.</summary>
    public const int MaxEf = 65_536;

    /// <summary>
    /// Gets or sets M, the number of neighbours a new vector links to on each layer; layer 0 keeps up to 2 * M.
    /// Larger values raise recall and memory use and slow down building. Default: <see cref="DefaultM"/> (16).
    /// Range 2 to <see cref="MaxM"/>.
    /// </summary>
    public int M { get; set; } = DefaultM;

    /// <summary>
    /// Gets or sets efConstruction, the width of the beam search that finds the neighbours of a new vector. Larger
    /// values build a better graph more slowly. Default: <see cref="DefaultEfConstruction"/> (200). Range
    /// <see cref="M"/> to <see cref="MaxEf"/>.
    /// </summary>
    public int EfConstruction { get; set; } = DefaultEfConstruction;

    /// <summary>
    /// Gets or sets efSearch, the default width of the beam search of a query (a search may override it; it is never
    /// less than the number of results asked for). Larger values raise recall and cost. Default:
    /// <see cref="DefaultEfSearch"/> (64). Range 1 to <see cref="MaxEf"/>.
    /// </summary>
    public int EfSearch { get; set; } = DefaultEfSearch;

    /// <summary>
    /// Gets or sets the seed of the pseudo-random layer assignment. Equal vectors added in the same order with the same
    /// seed give the same graph. Default: <see cref="DefaultSeed"/> (42).
    /// </summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>
    /// Gets or sets the largest number of threads a bulk insert into the graph (an upsert of many records) uses. It changes
    /// only the build time, never the graph. Default: <see cref="Environment.ProcessorCount"/>. At least 1.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Checks the values and returns a copy.</summary>
    /// <exception cref="ArgumentException">A value is out of range (the message names it).</exception>
    internal HnswOptions Validate()
    {
        if (M < 2 || M > MaxM)
        {
            throw new ArgumentException($"{nameof(HnswOptions)}.{nameof(M)} is {M} but must be between 2 and {MaxM}, for example {DefaultM}.", "options");
        }

        if (EfConstruction < M || EfConstruction > MaxEf)
        {
            throw new ArgumentException($"{nameof(HnswOptions)}.{nameof(EfConstruction)} is {EfConstruction} but must be between {nameof(M)} ({M}) and {MaxEf}, for example {DefaultEfConstruction}.", "options");
        }

        if (EfSearch < 1 || EfSearch > MaxEf)
        {
            throw new ArgumentException($"{nameof(HnswOptions)}.{nameof(EfSearch)} is {EfSearch} but must be between 1 and {MaxEf}, for example {DefaultEfSearch}.", "options");
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentException($"{nameof(HnswOptions)}.{nameof(MaxDegreeOfParallelism)} is {MaxDegreeOfParallelism} but must be at least 1, for example {Environment.ProcessorCount}.", "options");
        }

        return Clone();
    }

    /// <summary>Returns a copy of these options.</summary>
    internal HnswOptions Clone() => new()
    {
        M = M,
        EfConstruction = EfConstruction,
        EfSearch = EfSearch,
        Seed = Seed,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
    };
}
