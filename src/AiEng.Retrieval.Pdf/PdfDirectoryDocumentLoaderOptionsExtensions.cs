using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Adds the PDF loader to a <see cref="DirectoryDocumentLoaderOptions"/>.</summary>
public static class PdfDirectoryDocumentLoaderOptionsExtensions
{
    /// <summary>Reads <c>.pdf</c> files with a <see cref="PdfDocumentLoader"/> (one section per page).</summary>
    /// <param name="options">The directory loader's options.</param>
    /// <returns>The <paramref name="options"/>, to chain further calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static DirectoryDocumentLoaderOptions AddPdf(this DirectoryDocumentLoaderOptions options)
    {
        Throw.IfNull(options);
        options.Loaders[".pdf"] = new PdfDocumentLoader();
        return options;
    }
}
