namespace AiEng.Retrieval;

/// <summary>A retrieval corpus registered by <c>AddRetrieval</c>: the default one (no name) or a named one, and its configuration section.</summary>
/// <param name="Name">The corpus name, or <see langword="null"/> for the default corpus.</param>
/// <param name="Section">The configuration path of its options, for example <c>AiEng:Retrieval</c> or <c>AiEng:Retrieval:Corpora:support</c>.</param>
internal sealed record RetrievalCorpus(string? Name, string Section)
{
    /// <summary>Gets the configuration path of a corpus's options under AiEng's section <paramref name="aiEngPath"/>.</summary>
    public static string SectionOf(string aiEngPath, string? name) => aiEngPath + ":" + SubsectionOf(name);

    /// <summary>Gets the section of a corpus's options below AiEng's section: <c>Retrieval</c> or <c>Retrieval:Corpora:&lt;name&gt;</c>.</summary>
    public static string SubsectionOf(string? name) => name is null ? "Retrieval" : "Retrieval:Corpora:" + name;
}
