using AiEng.Shared;

namespace AiEng.Retrieval;

/// <summary>Something an <see cref="IDocumentLoader"/> can read: a name that identifies it and a way to open its bytes.</summary>
/// <remarks>
/// The <see cref="Name"/> becomes <see cref="Document.Source"/> and, for loaders that read one document a source, its
/// <see cref="Document.Id"/>; keep it stable (for example a path relative to a root) so that re-loading finds the same ids.
/// </remarks>
public sealed class DocumentSource
{
    private readonly Func<Stream> _open;

    /// <summary>Initializes a new instance of the <see cref="DocumentSource"/> class.</summary>
    /// <param name="name">The stable name of the source, for example a relative path.</param>
    /// <param name="open">Opens a readable stream over the source's bytes; the loader disposes it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="open"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public DocumentSource(string name, Func<Stream> open)
    {
        Name = Throw.IfNullOrWhitespace(name);
        _open = Throw.IfNull(open);
    }

    /// <summary>Gets the stable name of the source.</summary>
    public string Name { get; }

    /// <summary>Gets the full path of the file the source reads, or <see langword="null"/> when it is not a file.</summary>
    public string? FilePath { get; private init; }

    /// <summary>Creates a source that reads a file.</summary>
    /// <param name="path">The path of the file.</param>
    /// <param name="name">The stable name of the source; by default <paramref name="path"/> as given.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    public static DocumentSource FromFile(string path, string? name = null)
    {
        Throw.IfNullOrWhitespace(path);
        string fullPath = Path.GetFullPath(path);
        return new DocumentSource(name ?? path, () => new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan))
        {
            FilePath = fullPath,
        };
    }

    /// <summary>Creates a source that reads a stream once; the loader disposes the stream.</summary>
    /// <param name="stream">The readable stream.</param>
    /// <param name="name">The stable name of the source.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or whitespace.</exception>
    public static DocumentSource FromStream(Stream stream, string name)
    {
        Throw.IfNull(stream);
        return new DocumentSource(name, () => stream);
    }

    /// <summary>Opens a readable stream over the source's bytes. The caller disposes it.</summary>
    /// <returns>The stream.</returns>
    /// <exception cref="IOException">The source cannot be opened.</exception>
    public Stream Open() => _open();

    /// <inheritdoc />
    public override string ToString() => Name;
}
