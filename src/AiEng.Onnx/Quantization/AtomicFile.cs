namespace AiEng.Onnx.Quantization;

/// <summary>Writes a file through a temporary file in the same folder, moved into place when complete.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; on failure or cancellation the temporary file is deleted and <paramref name="path"/> is left as it was.</summary>
    public static Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, token) => stream.WriteAsync(content, token).AsTask(), cancellationToken);

    /// <summary>Copies <paramref name="content"/> to <paramref name="path"/>, as <see cref="WriteAsync(string, byte[], CancellationToken)"/>.</summary>
    public static Task WriteAsync(string path, Stream content, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, token) => content.CopyToAsync(stream, token), cancellationToken);

    private static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
