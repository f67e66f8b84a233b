using System.Diagnostics;
using System.Security.Cryptography;
using System.Numerics.Tensors;
using AiEng.Onnx;
using AiEng.Retrieval;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// Exact cosine search over the embedded corpus: one contiguous row-major float matrix of unit vectors scanned with
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// </summary>
/// <remarks>
/// Embedding a corpus takes minutes, so the matrix is cached under <c>{temp}/aieng-beir-cache/</c> in a file named by the
/// model id (or the <c>modelKey</c> given, which another model such as an int8 copy must give), the maximum sequence length,
/// the SHA-256 of <c>corpus.jsonl</c> and its length in bytes; a changed corpus or model gets a new file. The file also records how long the embedding took, which is reported as the index time.
/// Delete the folder to force re-embedding.
/// </remarks>
internal sealed class DenseCorpusIndex
{
    private const int Magic = 0x31564541; // "AEV1"
    private readonly string[] _ids;
    private readonly float[] _matrix;
    private readonly int _dimensions;

    private DenseCorpusIndex(string[] ids, float[] matrix, int dimensions, double embedSeconds, bool fromCache)
    {
        _ids = ids;
        _matrix = matrix;
        _dimensions = dimensions;
        EmbedSeconds = embedSeconds;
        FromCache = fromCache;
    }

    public double EmbedSeconds { get; }

    public bool FromCache { get; }

    /// <summary>The document ids, in the order of the matrix rows.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The unit vector of the document in row <paramref name="row"/>.</summary>
    public ReadOnlyMemory<float> Row(int row) => _matrix.AsMemory(row * _dimensions, _dimensions);

    /// <param name="modelKey">Names the model in the cache file; <see langword="null"/> for the embedded all-MiniLM-L6-v2.</param>
    public static async Task<DenseCorpusIndex> LoadOrBuildAsync(BeirDataset dataset, OnnxEmbeddingGenerator generator, int maxSequenceLength, string? modelKey = null)
    {
        string[] ids = dataset.Corpus.Select(d => d.Id).ToArray();
        string cachePath = CachePath(dataset.CorpusPath, maxSequenceLength, modelKey ?? MiniLmModel.ModelId);
        if (TryRead(cachePath, ids.Length) is { } cached)
        {
            Console.Error.WriteLine($"beir: dense: corpus embeddings loaded from cache {cachePath} (embedded in {cached.Seconds:F1} s when cached)");
            return new DenseCorpusIndex(ids, cached.Matrix, cached.Dimensions, cached.Seconds, fromCache: true);
        }

        int dimensions = MiniLmModel.Dimensions;
        var matrix = new float[ids.Length * dimensions];
        var watch = Stopwatch.StartNew();
        const int Chunk = 256;
        for (int start = 0; start < ids.Length; start += Chunk)
        {
            var rows = Enumerable.Range(start, Math.Min(Chunk, ids.Length - start)).Where(i => dataset.Corpus[i].FullText.Length > 0).ToArray();
            var embeddings = await generator.GenerateAsync(rows.Select(i => dataset.Corpus[i].FullText).ToArray()).ConfigureAwait(false);
            for (int r = 0; r < rows.Length; r++)
            {
                var vector = embeddings[r].Vector.Span;
                if (vector.Length != dimensions)
                {
                    throw new InvalidOperationException($"The model returned {vector.Length} dimensions; {dimensions} were expected.");
                }

                vector.CopyTo(matrix.AsSpan(rows[r] * dimensions, dimensions));
            }

            Console.Error.WriteLine($"beir: dense: embedded {Math.Min(start + Chunk, ids.Length)}/{ids.Length} documents in {watch.Elapsed.TotalSeconds:F0} s");
        }

        double seconds = watch.Elapsed.TotalSeconds;
        Write(cachePath, matrix, ids.Length, dimensions, seconds);
        Console.Error.WriteLine($"beir: dense: corpus embeddings cached in {cachePath}");
        return new DenseCorpusIndex(ids, matrix, dimensions, seconds, fromCache: false);
    }

    /// <summary>The <paramref name="top"/> documents with the highest cosine similarity to a unit-length query vector.</summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int top)
    {
        var best = new PriorityQueue<int, float>(top + 1);
        var matrix = _matrix.AsSpan();
        for (int row = 0; row < _ids.Length; row++)
        {
            float score = TensorPrimitives.Dot(matrix.Slice(row * _dimensions, _dimensions), query);
            if (best.Count < top)
            {
                best.Enqueue(row, score);
            }
            else if (best.TryPeek(out _, out float worst) && score > worst)
            {
                best.DequeueEnqueue(row, score);
            }
        }

        var hits = new SearchHit[best.Count];
        for (int i = hits.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out int row, out float score);
            hits[i] = new SearchHit(_ids[row], score);
        }

        return hits;
    }

    private static string CachePath(string corpusPath, int maxSequenceLength, string modelKey)
    {
        using var stream = File.OpenRead(corpusPath);
        string hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        string folder = Path.Combine(Path.GetTempPath(), "aieng-beir-cache");
        return Path.Combine(folder, $"{modelKey}-{maxSequenceLength}-{hash}-{stream.Length}.f32");
    }

    private static (float[] Matrix, int Dimensions, double Seconds)? TryRead(string path, int rows)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt32() != Magic || reader.ReadInt32() != rows)
        {
            return null;
        }

        int dimensions = reader.ReadInt32();
        double seconds = reader.ReadDouble();
        var matrix = new float[rows * dimensions];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(matrix.AsSpan());
        return reader.BaseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) == bytes.Length ? (matrix, dimensions, seconds) : null;
    }

    private static void Write(string path, float[] matrix, int rows, int dimensions, double seconds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Environment.ProcessId + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(Magic);
            writer.Write(rows);
            writer.Write(dimensions);
            writer.Write(seconds);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(matrix.AsSpan()));
        }

        File.Move(temporary, path, overwrite: true);
    }
}
