using System.Text.RegularExpressions;

namespace AiEng.Retrieval;

/// <summary>
/// Options of a <see cref="PostgresVectorStore"/>: where its tables live, how vectors are stored and indexed, and how
/// keyword and hybrid search rank. Bound from the configuration section <c>AiEng:Retrieval:Postgres</c> by
/// <c>AddPostgresVectorStore</c>.
/// </summary>
public sealed partial class PostgresVectorStoreOptions
{
    /// <summary>The default <see cref="Schema"/>: <c>public</c>.</summary>
    public const string DefaultSchema = "public";

    /// <summary>The default <see cref="TextSearchConfiguration"/>: <c>english</c>.</summary>
    public const string DefaultTextSearchConfiguration = "english";

    /// <summary>The default <see cref="HybridRankConstant"/>: 60, as in the reciprocal-rank-fusion paper (Cormack et al., 2009).</summary>
    public const int DefaultHybridRankConstant = 60;

    /// <summary>Gets or sets the schema that holds the collections' tables and the catalog table <c>aieng_collections</c>; created when missing. Default: <c>public</c>.</summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Gets or sets the column type of the vectors. Default: <see cref="PostgresVectorType.Vector"/>.</summary>
    public PostgresVectorType VectorType { get; set; } = PostgresVectorType.Vector;

    /// <summary>
    /// Gets or sets the vector index of collections whose vector property names none (MEVD <c>IndexKind</c> "Flat", "Hnsw"
    /// or "IvfFlat" on the property wins). Default: <see cref="PostgresIndexKind.Flat"/> (exact search, no index).
    /// </summary>
    public PostgresIndexKind IndexKind { get; set; } = PostgresIndexKind.Flat;

    /// <summary>Gets or sets HNSW's <c>m</c> (links per node, 2 to 100); <see langword="null"/> for pgvector's default (16).</summary>
    public int? HnswM { get; set; }

    /// <summary>Gets or sets HNSW's <c>ef_construction</c> (candidate list while building, 4 to 1,000 and at least 2 × m); <see langword="null"/> for pgvector's default (64).</summary>
    public int? HnswEfConstruction { get; set; }

    /// <summary>
    /// Gets or sets <c>hnsw.ef_search</c> (candidate list while searching, 1 to 1,000), set with <c>SET LOCAL</c> in each
    /// search's transaction; <see langword="null"/> for the server's setting (pgvector's default is 40). A search returns at
    /// most this many rows from the index, so keep it at least <c>skip + top</c>.
    /// </summary>
    public int? HnswEfSearch { get; set; }

    /// <summary>
    /// Gets or sets whether searches of an HNSW collection keep scanning the index until they have <c>skip + top</c> records
    /// that pass their filter (pgvector's <c>hnsw.iterative_scan = strict_order</c>, set with <c>SET LOCAL</c> in each
    /// search's transaction, bounded by the server's <c>hnsw.max_scan_tuples</c>, 20,000 by default). Default
    /// <see langword="true"/>: without it pgvector filters the <c>ef_search</c> nearest records after the index scan, so a
    /// selective filter (a tenant with 1% of the rows) can get fewer than <c>top</c> results. Needs pgvector 0.8 or later;
    /// with an older one the store reads the extension's version once and leaves the setting alone, as with
    /// <see langword="false"/>.
    /// </summary>
    public bool HnswIterativeScan { get; set; } = true;

    /// <summary>Gets or sets IVFFlat's <c>lists</c> (1 to 32,768; pgvector suggests rows / 1,000 up to a million rows); <see langword="null"/> for pgvector's default (100).</summary>
    public int? IvfFlatLists { get; set; }

    /// <summary>Gets or sets <c>ivfflat.probes</c> (lists searched, 1 to <see cref="IvfFlatLists"/>), set with <c>SET LOCAL</c> in each search's transaction; <see langword="null"/> for the server's setting (1).</summary>
    public int? IvfFlatProbes { get; set; }

    /// <summary>
    /// Gets or sets the text search configuration (<c>regconfig</c>) of the generated <c>tsvector</c> column and of keyword
    /// queries, such as <c>english</c>, <c>simple</c> or <c>german</c>: letters, digits and underscores, optionally
    /// schema-qualified. Default: <c>english</c>.
    /// </summary>
    public string TextSearchConfiguration { get; set; } = DefaultTextSearchConfiguration;

    /// <summary>Gets or sets the constant <c>k</c> of reciprocal-rank fusion in hybrid search: each list adds <c>1 / (k + rank)</c>. At least 1. Default: 60.</summary>
    public int HybridRankConstant { get; set; } = DefaultHybridRankConstant;

    /// <summary>Gets or sets how many of the best records of each list (vector and keyword) hybrid search fuses; at least <c>skip + top</c> are always taken. At least 1. Default: 100.</summary>
    public int HybridCandidateDepth { get; set; } = 100;

    /// <summary>Gets or sets how many records one multi-row <c>INSERT</c> writes (fewer when the parameters would exceed PostgreSQL's 65,535). At least 1. Default: 100.</summary>
    public int UpsertBatchSize { get; set; } = 100;

    /// <summary>Returns a copy of these options.</summary>
    internal PostgresVectorStoreOptions Clone() => (PostgresVectorStoreOptions)MemberwiseClone();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The schema or text search configuration is not a valid name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        _ = PostgresSql.CheckIdentifier(Schema ?? string.Empty, "schema", nameof(Schema));
        if (TextSearchConfiguration is null || !RegConfigName().IsMatch(TextSearchConfiguration))
        {
            throw new ArgumentException(
                $"The text search configuration '{TextSearchConfiguration}' is not a valid regconfig name: use letters, digits and underscores, optionally schema-qualified (for example 'english', 'simple' or 'pg_catalog.german').",
                nameof(TextSearchConfiguration));
        }

        CheckEnum(VectorType, nameof(VectorType));
        CheckEnum(IndexKind, nameof(IndexKind));
        CheckRange(HnswM, 2, 100, nameof(HnswM));
        CheckRange(HnswEfConstruction, 4, 1000, nameof(HnswEfConstruction));
        CheckRange(HnswEfSearch, 1, 1000, nameof(HnswEfSearch));
        CheckRange(IvfFlatLists, 1, 32768, nameof(IvfFlatLists));
        CheckRange(IvfFlatProbes, 1, 32768, nameof(IvfFlatProbes));
        if (HnswEfConstruction is { } ef && ef < 2 * (HnswM ?? 16))
        {
            throw new ArgumentOutOfRangeException(nameof(HnswEfConstruction), ef, $"HNSW's ef_construction must be at least 2 × m ({2 * (HnswM ?? 16)}).");
        }

        CheckRange(HybridRankConstant, 1, int.MaxValue, nameof(HybridRankConstant));
        CheckRange(HybridCandidateDepth, 1, int.MaxValue, nameof(HybridCandidateDepth));
        CheckRange(UpsertBatchSize, 1, int.MaxValue, nameof(UpsertBatchSize));
    }

    private static void CheckEnum<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Unknown {typeof(TEnum).Name}; use one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        }
    }

    private static void CheckRange(int? value, int min, int max, string name)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be between {min} and {max}.");
        }
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegConfigName();
}
