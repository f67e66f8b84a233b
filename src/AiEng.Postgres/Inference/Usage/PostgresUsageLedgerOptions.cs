namespace AiEng.Inference;

/// <summary>Options of <see cref="PostgresUsageLedger"/>.</summary>
public sealed class PostgresUsageLedgerOptions
{
    /// <summary>Gets or sets the schema of the ledger's table. The default is <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>Gets or sets the table that holds one row per call. The default is <c>aieng_usage</c>.</summary>
    public string Table { get; set; } = "aieng_usage";

    /// <summary>Gets or sets how many of the newest records <see cref="PostgresUsageLedger.GetRecords"/> returns. The default is 10,000.</summary>
    public int MaxRecords { get; set; } = UsageLedger.DefaultMaxRecords;

    /// <summary>
    /// Gets or sets a value indicating whether the table and its index are created on first use when missing. The default is
    /// <see langword="true"/>; turn it off when the schema is managed by migrations and the application's role cannot create tables.
    /// </summary>
    public bool CreateTableIfMissing { get; set; } = true;
}
