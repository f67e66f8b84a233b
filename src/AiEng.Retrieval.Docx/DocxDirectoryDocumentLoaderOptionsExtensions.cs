using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Adds the Word loader to a <see cref="DirectoryDocumentLoaderOptions"/>.</summary>
public static class DocxDirectoryDocumentLoaderOptionsExtensions
{
    /// <summary>Reads <c>.docx</c> files with a <see cref="DocxDocumentLoader"/> (paragraphs and tables, heading sections).</summary>
    /// <param name="options">The directory loader's options.</param>
    /// <returns>The <paramref name="options"/>, to chain further calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static DirectoryDocumentLoaderOptions AddDocx(this DirectoryDocumentLoaderOptions options)
    {
        Throw.IfNull(options);
        options.Loaders[".docx"] = new DocxDocumentLoader();
        return options;
    }
}
