using System.Collections;
using System.Runtime.InteropServices;

namespace AiEng.Retrieval;

/// <summary>
/// The embedded chunks of one large document, spilled to a temporary file so that memory does not grow with the
/// document, and read back lazily (as an <see cref="IReadOnlyCollection{T}"/>) when the document is committed.
/// </summary>
/// <remarks>
/// Only per-chunk fields are written (index, text, offsets, heading path, page, metadata, tags, vector); the document-level
/// fields (id, title, source, hash) come from the document. Strings are written as UTF-16 code units so that text round-trips exactly,
/// lone surrogates included. Every enumeration opens its own reader, so a store may enumerate the records more than once.
/// </remarks>
internal sealed class ChunkStagingFile : IReadOnlyCollection<ChunkRecord>, IDisposable
{
    private readonly Document _document;
    private readonly string _path;
    private FileStream? _writeStream;
    private BinaryWriter? _writer;

    public ChunkStagingFile(Document document, string? directory)
    {
        _document = document;
        string folder = directory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"aieng-ingest-{Guid.NewGuid():N}.chunks");
        _writeStream = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
        _writer = new BinaryWriter(_writeStream);
    }

    public int Count { get; private set; }

    public void Add(ChunkRecord record)
    {
        BinaryWriter writer = _writer ?? throw new InvalidOperationException("The staging file is sealed.");
        writer.Write(record.ChunkIndex);
        WriteString(writer, record.Text);
        writer.Write(record.StartOffset);
        writer.Write(record.EndOffset);
        WriteNullableString(writer, record.HeadingPath);
        writer.Write(record.Page.HasValue);
        writer.Write(record.Page.GetValueOrDefault());
        WriteNullableString(writer, record.Metadata);
        writer.Write(record.Tags.Count);
        foreach (string tag in record.Tags)
        {
            WriteString(writer, tag);
        }

        ReadOnlySpan<float> vector = record.Embedding.Span;
        writer.Write(vector.Length);
        writer.Write(MemoryMarshal.AsBytes(vector));
        Count++;
    }

    /// <summary>Finishes writing; the records can be read from now on.</summary>
    public void Seal()
    {
        _writer?.Dispose();
        _writer = null;
        _writeStream = null;
    }

    public IEnumerator<ChunkRecord> GetEnumerator()
    {
        if (_writer is not null)
        {
            throw new InvalidOperationException("The staging file is still being written.");
        }

        return Read();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        Seal();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // Best effort: the file is in a temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }

    private IEnumerator<ChunkRecord> Read()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
        using var reader = new BinaryReader(stream);
        for (int i = 0; i < Count; i++)
        {
            int index = reader.ReadInt32();
            string text = ReadString(reader);
            int start = reader.ReadInt32();
            int end = reader.ReadInt32();
            string? headingPath = ReadNullableString(reader);
            bool hasPage = reader.ReadBoolean();
            int page = reader.ReadInt32();
            string? metadata = ReadNullableString(reader);
            var tags = new List<string>(reader.ReadInt32());
            for (int t = 0; t < tags.Capacity; t++)
            {
                tags.Add(ReadString(reader));
            }

            var vector = new float[reader.ReadInt32()];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
            ChunkRecord record = ChunkRecords.Create(_document, index, text, start, end, headingPath, hasPage ? page : null, vector);
            record.Metadata = metadata;
            record.Tags = tags;
            yield return record;
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        writer.Write(value.Length);
        writer.Write(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static void WriteNullableString(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            WriteString(writer, value);
        }
    }

    private static string ReadString(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        return string.Create(length, reader.BaseStream, static (chars, stream) => stream.ReadExactly(MemoryMarshal.AsBytes(chars)));
    }

    private static string? ReadNullableString(BinaryReader reader) => reader.ReadBoolean() ? ReadString(reader) : null;
}
