using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Adds the HTML loader to a <see cref="DirectoryDocumentLoaderOptions"/>.</summary>
public static class HtmlDirectoryDocumentLoaderOptionsExtensions
{
    /// <summary>Reads <c>.html</c> and <c>.htm</c> files with one <see cref="HtmlDocumentLoader"/> (visible text, heading sections).</summary>
    /// <param name="options">The directory loader's options.</param>
    /// <returns>The <paramref name="options"/>, to chain further calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static DirectoryDocumentLoaderOptions AddHtml(this DirectoryDocumentLoaderOptions options)
    {
        Throw.IfNull(options);
        var loader = new HtmlDocumentLoader();
        options.Loaders[".html"] = loader;
        options.Loaders[".htm"] = loader;
        return options;
    }
}
