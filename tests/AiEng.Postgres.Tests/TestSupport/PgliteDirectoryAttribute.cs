namespace AiEng.Postgres.Tests.TestSupport;

/// <summary>Records, at build time, where the PGlite server's npm project is (<c>tests/AiEng.Postgres.Tests/pglite</c>).</summary>
/// <param name="path">The directory's full path.</param>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class PgliteDirectoryAttribute(string path) : Attribute
{
    /// <summary>Gets the directory's full path.</summary>
    public string Path { get; } = path;
}
