namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>The tests that share one PostgreSQL server (started once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection's name, for <c>[Collection(PostgresCollection.Name)]</c>.</summary>
    public const string Name = "PostgreSQL";
}
