using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AiEng.Shared;

namespace AiEng.Retrieval;

internal sealed partial class HnswIndex
{
    /// <summary>The version of the file format <see cref="Save"/> writes and <see cref="Load"/> reads.</summary>
    public const int FormatVersion = 1;

    private const int ChunkBytes = 1 << 20;
    private const int HeaderFields = 11;
    private const int HashBytes = 32;

    private static ReadOnlySpan<byte> Magic => "AIENGHNS"u8;

    /// <summary>Writes the index to a stream, in a little-endian binary format with SHA-256 checksums.</summary>
    /// <param name="stream">A writable stream; it is left open, positioned after the index.</param>
    /// <remarks>
    /// The format: the 8 ASCII bytes <c>AIENGHNS</c>; a header of 32-bit integers (format version, dimensions, M,
    /// efConstruction, efSearch, seed, vector count, removed count, entry point, top layer, upper-layer link count); the
    /// SHA-256 of magic and header; the body (the top layer of each vector as one byte, a removed flag per vector, the
    /// normalised vectors as 32-bit floats, the layer-0 link lists, and the upper-layer link lists of the vectors above
    /// layer 0 in id order, each list a count followed by a fixed number of ids); and the SHA-256 of the body. The same
    /// index always gives the same bytes. Searches may run while the index is saved.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public void Save(Stream stream)
    {
        Throw.IfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        CheckLittleEndian();
        int count = _nodeCount;
        long upperLinks = 0;
        for (int id = 0; id < count; id++)
        {
            upperLinks += _levels[id] * _strideUpper;
        }

        Span<int> header =
        [
            FormatVersion, _dimensions, _options.M, _options.EfConstruction, _options.EfSearch, _options.Seed,
            count, _removedCount, _entryPoint, _maxLevel, checked((int)upperLinks),
        ];
        using (var headerHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            Write(stream, headerHash, Magic);
            Write(stream, headerHash, MemoryMarshal.AsBytes(header));
            stream.Write(headerHash.GetHashAndReset());
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Write(stream, hash, _levels.AsSpan(0, count));
        Write(stream, hash, _removed.AsSpan(0, count));
        Write(stream, hash, MemoryMarshal.AsBytes(_vectors.AsSpan(0, count * _dimensions)));
        Write(stream, hash, MemoryMarshal.AsBytes(_links0.AsSpan(0, count * _stride0)));
        for (int id = 0; id < count; id++)
        {
            if (_linksUpper[id] is { } links)
            {
                Write(stream, hash, MemoryMarshal.AsBytes(links.AsSpan()));
            }
        }

        stream.Write(hash.GetHashAndReset());
    }

    /// <summary>Reads an index written by <see cref="Save"/>.</summary>
    /// <param name="stream">A readable stream positioned at the start of a saved index; it is left open, positioned after the index.</param>
    /// <returns>The index, equal to the one saved; its <see cref="HnswOptions.MaxDegreeOfParallelism"/> is the processor count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream does not hold a saved HNSW index, was written by an unsupported format version, ends early, or fails a
    /// checksum or consistency check; the message says which and where.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public static HnswIndex Load(Stream stream)
    {
        Throw.IfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        CheckLittleEndian();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> magic = stackalloc byte[8];
        Read(stream, hash, magic, "magic number");
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException($"The stream is not a saved HNSW index: it starts with the bytes {Convert.ToHexString(magic)}, not '{System.Text.Encoding.ASCII.GetString(Magic)}'.");
        }

        Span<int> header = stackalloc int[HeaderFields];
        Read(stream, hash, MemoryMarshal.AsBytes(header), "header");
        if (header[0] != FormatVersion)
        {
            throw new InvalidDataException($"The HNSW index was saved in format version {header[0]}; this version of AiEng reads format version {FormatVersion} only.");
        }

        CheckHash(stream, hash, "header");
        int dimensions = header[1];
        int count = header[6];
        int removedCount = header[7];
        int entryPoint = header[8];
        int maxLevel = header[9];
        int upperLinks = header[10];
        HnswIndex index;
        try
        {
            index = new HnswIndex(dimensions, new HnswOptions { M = header[2], EfConstruction = header[3], EfSearch = header[4], Seed = header[5] });
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"The header of the HNSW index is inconsistent: {ex.Message}", ex);
        }

        if (count < 0 || (long)count * dimensions > Array.MaxLength || (long)count * index._stride0 > Array.MaxLength
            || removedCount < 0 || removedCount > count || entryPoint < -1 || entryPoint >= count
            || (entryPoint < 0) != (count == 0) || maxLevel < -1 || maxLevel > MaxLayer || upperLinks < 0)
        {
            throw new InvalidDataException($"The header of the HNSW index is inconsistent: {count} vectors of {dimensions} dimensions, {removedCount} removed, entry point {entryPoint}, top layer {maxLevel}.");
        }

        long bodyBytes = (2L * count) + (4L * count * dimensions) + (4L * count * index._stride0) + (4L * upperLinks) + HashBytes;
        if (stream.CanSeek && stream.Length - stream.Position < bodyBytes)
        {
            throw new InvalidDataException($"The HNSW index is truncated: its header announces {count} vectors, which need {bodyBytes} more bytes, but the stream has {stream.Length - stream.Position}.");
        }

        index.EnsureCapacity(count);
        Read(stream, hash, index._levels.AsSpan(0, count), "layer table");
        Read(stream, hash, index._removed.AsSpan(0, count), "removed flags");
        Read(stream, hash, MemoryMarshal.AsBytes(index._vectors.AsSpan(0, count * dimensions)), "vectors");
        Read(stream, hash, MemoryMarshal.AsBytes(index._links0.AsSpan(0, count * index._stride0)), "layer-0 links");
        long expectedUpper = 0;
        for (int id = 0; id < count; id++)
        {
            int level = index._levels[id];
            if (level > MaxLayer)
            {
                throw new InvalidDataException($"Vector {id} of the HNSW index has top layer {level}, above the largest possible layer {MaxLayer}.");
            }

            expectedUpper += level * index._strideUpper;
        }

        if (expectedUpper != upperLinks)
        {
            throw new InvalidDataException($"The HNSW index's layer table needs {expectedUpper} upper-layer link slots but its header says {upperLinks}.");
        }

        for (int id = 0; id < count; id++)
        {
            int level = index._levels[id];
            if (level > 0)
            {
                var links = new int[level * index._strideUpper];
                Read(stream, hash, MemoryMarshal.AsBytes(links.AsSpan()), "upper-layer links");
                index._linksUpper[id] = links;
            }
        }

        CheckHash(stream, hash, "body");
        index._nodeCount = count;
        index._removedCount = removedCount;
        index._entryPoint = entryPoint;
        index._maxLevel = maxLevel;
        index.CheckConsistency();
        return index;
    }

    /// <summary>Checks what the checksum cannot: that a file written by hand or by a faulty writer describes a valid graph.</summary>
    private void CheckConsistency()
    {
        int removed = 0;
        for (int id = 0; id < _nodeCount; id++)
        {
            if (_removed[id] > 1)
            {
                throw new InvalidDataException($"Vector {id} of the HNSW index has removed flag {_removed[id]}; it must be 0 or 1.");
            }

            removed += _removed[id];
            for (int layer = 0; layer <= _levels[id]; layer++)
            {
                var links = Links(id, layer);
                int max = layer == 0 ? _m0 : _m;
                if (links[0] < 0 || links[0] > max)
                {
                    throw new InvalidDataException($"Vector {id} of the HNSW index has {links[0]} links on layer {layer}; at most {max} are allowed.");
                }

                for (int i = 1; i <= links[0]; i++)
                {
                    if ((uint)links[i] >= (uint)_nodeCount || links[i] == id || _levels[links[i]] < layer)
                    {
                        throw new InvalidDataException($"Vector {id} of the HNSW index links on layer {layer} to {links[i]}, which is not a vector on that layer.");
                    }
                }
            }
        }

        if (removed != _removedCount)
        {
            throw new InvalidDataException($"The HNSW index's header counts {_removedCount} removed vectors but {removed} are flagged.");
        }

        if (_entryPoint >= 0 && _levels[_entryPoint] != _maxLevel)
        {
            throw new InvalidDataException($"The HNSW index's entry point {_entryPoint} is on layer {_levels[_entryPoint]}, not on the top layer {_maxLevel}.");
        }
    }

    private static void Write(Stream stream, IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        for (int offset = 0; offset < bytes.Length; offset += ChunkBytes)
        {
            var chunk = bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset));
            hash.AppendData(chunk);
            stream.Write(chunk);
        }
    }

    private static void Read(Stream stream, IncrementalHash hash, Span<byte> bytes, string section)
    {
        for (int offset = 0; offset < bytes.Length; offset += ChunkBytes)
        {
            var chunk = bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset));
            int read = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (read < chunk.Length)
            {
                throw new InvalidDataException($"The HNSW index is truncated: the stream ended in the {section} after {offset + read} of {bytes.Length} bytes.");
            }

            hash.AppendData(chunk);
        }
    }

    private static void CheckHash(Stream stream, IncrementalHash hash, string section)
    {
        Span<byte> stored = stackalloc byte[HashBytes];
        int read = stream.ReadAtLeast(stored, HashBytes, throwOnEndOfStream: false);
        if (read < HashBytes)
        {
            throw new InvalidDataException($"The HNSW index is truncated: the stream ended in the checksum of the {section} after {read} of {HashBytes} bytes.");
        }

        Span<byte> computed = stackalloc byte[HashBytes];
        hash.GetHashAndReset(computed);
        if (!computed.SequenceEqual(stored))
        {
            throw new InvalidDataException($"The HNSW index is corrupted: the SHA-256 checksum of the {section} does not match its contents.");
        }
    }

    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Saving and loading an HNSW index needs a little-endian machine.");
        }
    }
}
