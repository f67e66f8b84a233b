using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using AiEng.Retrieval;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Benchmarks.Ingestion;

/// <summary>
/// <c>ingest-memory --mb 100 [--chunk 256] [--buffer 1024]</c>: ingests one generated text file of the given size through the directory loader, the
/// recursive chunker and a <see cref="DocumentIngestor"/>, with a fast fake embedding generator (constant 384-dimension
/// vectors) and a sink collection that counts what it receives (an atomic writer that enumerates the records and keeps
/// none), and reports the process's peak working set. The file is one document, so it is staged on disk and committed in
/// one atomic replace; the figure is the ingestion's own peak, the document text included. <c>--buffer</c> sets
/// <see cref="DocumentIngestorOptions.MaxBufferedChunks"/> (a value above the chunk count shows the cost without staging).
/// </summary>
internal static class IngestMemoryBenchmark
{
    private const int Dimensions = 384;

    public static async Task RunAsync(BenchmarkArguments arguments)
    {
        int megabytes = arguments.GetInt("mb", 100);
        int chunkSize = arguments.GetInt("chunk", 256);
        int buffered = arguments.GetInt("buffer", new DocumentIngestorOptions().MaxBufferedChunks);
        if (megabytes < 1 || chunkSize < 1 || buffered < 1)
        {
            throw new ArgumentException("--mb, --chunk and --buffer must be at least 1.");
        }

        DirectoryInfo directory = Directory.CreateTempSubdirectory("aieng-ingest-memory-");
        try
        {
            string path = Path.Combine(directory.FullName, "huge.txt");
            long bytes = WriteText(path, megabytes * 1024L * 1024L);
            await Console.Error.WriteLineAsync($"wrote {bytes / 1048576.0:F1} MB to {path}").ConfigureAwait(false);
            long peakBefore = PeakWorkingSet();

            var sink = new SinkCollection();
            var chunker = new RecursiveTextChunker(new WhitespaceTokenCounter(), new ChunkerOptions { ChunkSize = chunkSize, ChunkOverlap = chunkSize / 8 });
            // The file may exceed the loaders' default size limit (64 MiB), which would report it as an issue instead of reading it.
            var loader = new DirectoryDocumentLoader(new DirectoryDocumentLoaderOptions { Include = ["*.txt"], MaxFileBytes = Math.Max(bytes, new DirectoryDocumentLoaderOptions().MaxFileBytes) });
            var ingestor = new DocumentIngestor(sink, new ConstantEmbeddingGenerator(), chunker, new DocumentIngestorOptions { MaxBufferedChunks = buffered });
            var progress = new ConsoleProgress();
            long start = Stopwatch.GetTimestamp();
            IngestionResult result = await ingestor.IngestDirectoryAsync(loader, directory.FullName, progress: progress).ConfigureAwait(false);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            if (sink.Received != result.Chunks || result.Added != 1)
            {
                throw new InvalidOperationException($"The sink received {sink.Received} records for {result.Chunks} chunks; the measurement is not valid.");
            }

            long peak = PeakWorkingSet();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"ingest-memory\",\"file_mb\":{bytes / 1048576.0:F1},\"chunks\":{result.Chunks},\"chunk_tokens\":{chunkSize},\"max_buffered_chunks\":{buffered},\"seconds\":{seconds:F1},\"peak_working_set_mb\":{peak / 1048576.0:F0},\"peak_before_mb\":{peakBefore / 1048576.0:F0},\"under_1gb\":{(peak < 1024L * 1024 * 1024 ? "true" : "false")}}}"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static long PeakWorkingSet()
    {
        using Process process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>Writes seeded English-like text (sentences in paragraphs) until the file holds at least <paramref name="size"/> bytes.</summary>
    private static long WriteText(string path, long size)
    {
        var random = new Random(42);
        string[] words = [.. Enumerable.Range(0, 2000).Select(i => MakeWord(random, i))];
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var sentence = new StringBuilder();
        long written = 0;
        while (written < size)
        {
            int sentences = random.Next(3, 9);
            for (int s = 0; s < sentences; s++)
            {
                sentence.Clear();
                int length = random.Next(6, 24);
                for (int w = 0; w < length; w++)
                {
                    sentence.Append(w == 0 ? char.ToUpperInvariant(words[random.Next(words.Length)][0]) + words[random.Next(words.Length)][1..] : words[random.Next(words.Length)]);
                    sentence.Append(w == length - 1 ? ". " : " ");
                }

                writer.Write(sentence);
                written += sentence.Length;
            }

            writer.Write("\n\n");
            written += 2;
        }

        return written;
    }

    private static string MakeWord(Random random, int seed)
    {
        const string letters = "etaoinshrdlucmfwypvbgkjqxz";
        int length = 2 + (seed % 9);
        var word = new char[length];
        for (int i = 0; i < length; i++)
        {
            word[i] = letters[(int)Math.Min(letters.Length - 1, Math.Abs(random.NextDouble() * random.NextDouble()) * letters.Length)];
        }

        return new string(word);
    }

    /// <summary>One token per whitespace-separated word, counted without allocating (the chunker's own cost stays small).</summary>
    private sealed class WhitespaceTokenCounter : ITokenCounter
    {
        public string Name => "whitespace";

        public int CountTokens(string text)
        {
            int count = 0;
            bool inWord = false;
            foreach (char c in text)
            {
                bool space = char.IsWhiteSpace(c);
                count += !space && !inWord ? 1 : 0;
                inWord = !space;
            }

            return count;
        }

        public IReadOnlyList<string> GetTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Returns a new constant vector per text, as fast as a generator can be.</summary>
    private sealed class ConstantEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (string value in values)
            {
                var vector = new float[Dimensions];
                vector[0] = value.Length;
                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A collection that is always empty to reads and counts the records written to it, keeping none.</summary>
    private sealed class SinkCollection : VectorStoreCollection<Guid, ChunkRecord>, IAtomicRecordWriter<Guid, ChunkRecord>
    {
        public long Received { get; private set; }

        public override string Name => "sink";

        public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

        public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task<ChunkRecord?> GetAsync(Guid key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<ChunkRecord?>(null);

        public override IAsyncEnumerable<ChunkRecord> GetAsync(IEnumerable<Guid> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
            Empty();

        public override IAsyncEnumerable<ChunkRecord> GetAsync(
            Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
            Empty();

        public override Task DeleteAsync(Guid key, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task DeleteAsync(IEnumerable<Guid> keys, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) => UpsertAsync([record], cancellationToken);

        public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
        {
            Received += records.LongCount();
            return Task.CompletedTask;
        }

        public Task ReplaceAsync(IReadOnlyCollection<Guid> keysToDelete, IReadOnlyCollection<ChunkRecord> recordsToUpsert, CancellationToken cancellationToken = default) =>
            UpsertAsync(recordsToUpsert, cancellationToken);

        public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(
            TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(IAtomicRecordWriter<Guid, ChunkRecord>) ? this : null;

        private static async IAsyncEnumerable<ChunkRecord> Empty([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            yield break;
        }
    }

    /// <summary>Logs every 10,000 embedded chunks to stderr.</summary>
    private sealed class ConsoleProgress : IProgress<IngestionProgress>
    {
        private int _logged;

        public void Report(IngestionProgress value)
        {
            if (value.ChunksEmbedded >= _logged + 10_000 || value.Event != IngestionEvent.ChunksEmbedded)
            {
                _logged = value.ChunksEmbedded;
                Console.Error.WriteLine(value);
            }
        }
    }
}
