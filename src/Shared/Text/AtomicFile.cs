namespace AiEng.Shared;

/// <summary>Writes a file whole or not at all: beside it first, then moved into place, so a reader never sees half of it.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> (UTF-8), creating its folder when missing.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteAsync(path, (temporary, token) => File.WriteAllTextAsync(temporary, text, token), cancellationToken);

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which is given the temporary file's path to create.</summary>
    public static async Task WriteAsync(string path, Func<string, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await write(temporary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes a report as HTML when the path ends in <c>.html</c> or <c>.htm</c>, and as Markdown otherwise.</summary>
    public static Task WriteReportAsync(string path, Func<string> html, Func<string> markdown, CancellationToken cancellationToken)
    {
        string extension = Path.GetExtension(path);
        bool isHtml = extension.Equals(".html", StringComparison.OrdinalIgnoreCase) || extension.Equals(".htm", StringComparison.OrdinalIgnoreCase);
        return WriteAllTextAsync(path, isHtml ? html() : markdown(), cancellationToken);
    }
}
