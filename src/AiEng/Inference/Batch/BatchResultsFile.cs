using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AiEng.Inference;

/// <summary>
/// The append-only results file of a batch run: one JSON line per finished item
/// (<c>{"id":"a1","status":"succeeded","value":...}</c> or <c>{"id":"a2","status":"failed","error":"..."}</c>), each written
/// and flushed to disk before the item counts as done, so a crash loses at most the items in flight.
/// </summary>
internal sealed class BatchResultsFile<TResult> : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _stream;
    private readonly JsonTypeInfo<TResult> _type;

    private BatchResultsFile(FileStream stream, JsonTypeInfo<TResult> type)
    {
        _stream = stream;
        _type = type;
    }

    /// <summary>
    /// Opens (or creates) the file and reads the items that succeeded in earlier runs, by id; the last of several lines of
    /// one id wins. A torn line (not JSON: the process died while writing it) is ignored, and when it is the last one it is
    /// set apart on a line of its own.
    /// </summary>
    /// <exception cref="InvalidDataException">A JSON line is not a result line, or its value is not of the result type; the message names the file and line.</exception>
    public static async Task<(BatchResultsFile<TResult> File, Dictionary<string, TResult> Succeeded)> OpenAsync(
        string path, JsonTypeInfo<TResult> type, CancellationToken cancellationToken)
    {
        var succeeded = new Dictionary<string, TResult>(StringComparer.Ordinal);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.Asynchronous);
        try
        {
            bool torn = false; // whether the file ends inside a line
            if (stream.Length > 0)
            {
                string[] lines = (await ReadAllAsync(stream, cancellationToken).ConfigureAwait(false)).Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    string line = lines[i].TrimEnd('\r');
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    if (!TryRead(line, type, path, i + 1, out string? id, out bool ok, out TResult? value))
                    {
                        // A torn record (the process died mid-write, here or in an earlier run): its item simply runs again.
                        continue;
                    }

                    if (ok)
                    {
                        succeeded[id!] = value!;
                    }
                    else
                    {
                        succeeded.Remove(id!);
                    }
                }

                torn |= lines[^1].Length > 0;
            }

            stream.Seek(0, SeekOrigin.End);
            var file = new BatchResultsFile<TResult>(stream, type);
            if (torn)
            {
                // Set the torn record apart, so the next line starts clean.
                await file.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
            }

            return (file, succeeded);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends the line of a succeeded item and flushes it to disk.</summary>
    public Task AppendSucceededAsync(string id, TResult value) => WriteAsync(Line(id, writer =>
    {
        writer.WriteString("status", "succeeded");
        writer.WritePropertyName("value");
        JsonSerializer.Serialize(writer, value, _type);
    }));

    /// <summary>Appends the line of a failed item and flushes it to disk.</summary>
    public Task AppendFailedAsync(string id, string error) => WriteAsync(Line(id, writer =>
    {
        writer.WriteString("status", "failed");
        writer.WriteString("error", error);
    }));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static byte[] Line(string id, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            write(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static bool TryRead(string line, JsonTypeInfo<TResult> type, string path, int lineNumber, out string? id, out bool ok, out TResult? value)
    {
        (id, ok, value) = (null, false, default);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{path}, line {lineNumber}: not a batch result line ({{\"id\":...,\"status\":\"succeeded\"|\"failed\",...}}). The results file belongs to one batch; delete it to start over, or point ResultsPath at a new file."));
            }

            id = idElement.GetString()!;
            ok = status.ValueEquals("succeeded"u8);
            if (ok)
            {
                try
                {
                    value = root.TryGetProperty("value", out var element) ? element.Deserialize(type) : default;
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{path}, line {lineNumber}: the result of item '{id}' cannot be read as {typeof(TResult).Name} ({e.Message}). The file was written for another result type; point ResultsPath at a new file."),
                        e);
                }
            }

            return true;
        }
    }

    private static async Task<string> ReadAllAsync(FileStream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(byte[] bytes)
    {
        // Not cancellable: a finished item's line is written whole even while the run is being cancelled.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
            await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _stream.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
