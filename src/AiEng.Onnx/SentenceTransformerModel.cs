using System.Numerics.Tensors;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace AiEng.Onnx;

/// <summary>
/// One loaded sentence-transformer: the ONNX Runtime session (created once, used concurrently: <c>Run</c> is thread-safe)
/// and its BERT tokenizer. Tokenizes, runs padded batches and pools token embeddings into unit-length sentence vectors.
/// </summary>
internal sealed class SentenceTransformerModel : IDisposable
{
    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly PoolingMode _pooling;
    private readonly bool _normalize;

    /// <summary>The SHA-256 of the embedded model, computed on first use: the bytes only change with the package.</summary>
    private static string? s_embeddedModelHash;

    private SentenceTransformerModel(InferenceSession session, BertTokenizer tokenizer, OnnxEmbeddingGeneratorOptions options, string modelDescription, string contentHash)
    {
        _session = session;
        _tokenizer = tokenizer;
        ContentHash = contentHash;
        MaxSequenceLength = options.MaxSequenceLength;
        _pooling = options.Pooling;
        _normalize = options.Normalize;

        var inputs = session.InputMetadata;
        foreach (var required in (ReadOnlySpan<string>)[InputIdsName, AttentionMaskName])
        {
            if (!inputs.ContainsKey(required))
            {
                throw new NotSupportedException($"The ONNX model {modelDescription} has no input '{required}' (it has {string.Join(", ", inputs.Keys)}); a BERT-style sentence-transformer needs input_ids and attention_mask.");
            }
        }

        _inputNames = inputs.ContainsKey(TokenTypeIdsName) ? [InputIdsName, AttentionMaskName, TokenTypeIdsName] : [InputIdsName, AttentionMaskName];
        foreach (var name in _inputNames)
        {
            if (inputs[name].ElementDataType != TensorElementType.Int64)
            {
                throw new NotSupportedException($"The ONNX model {modelDescription} takes '{name}' as {inputs[name].ElementDataType}; only int64 inputs are supported.");
            }
        }

        var output = session.OutputMetadata.FirstOrDefault(o => o.Key is "last_hidden_state" or "token_embeddings");
        if (output.Key is null)
        {
            output = session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3);
        }

        if (output.Key is null || output.Value.Dimensions.Length != 3 || output.Value.Dimensions[2] <= 0 || output.Value.ElementDataType != TensorElementType.Float)
        {
            throw new NotSupportedException($"The ONNX model {modelDescription} has no float output of shape batch x sequence x dimensions with a fixed dimension count (outputs: {string.Join(", ", session.OutputMetadata.Keys)}); export the transformer's last_hidden_state.");
        }

        _outputNames = [output.Key];
        Dimensions = output.Value.Dimensions[2];
    }

    /// <summary>Gets the number of dimensions of the embeddings.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the largest number of tokens per text, including <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>
    /// Gets the SHA-256 of the model file (or of the embedded model) in lower-case hexadecimal, computed once at load: it
    /// tells an int8 copy from the float32 original, and a file replaced in place from the one it replaced.
    /// </summary>
    public string ContentHash { get; }

    /// <summary>Gets the BERT tokenizer (uncased: lower case, accents stripped, punctuation split).</summary>
    public BertTokenizer Tokenizer => _tokenizer;

    /// <summary>Loads the model and tokenizer the options select.</summary>
    /// <param name="options">Validated options.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="FileNotFoundException">The model or vocabulary file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model file.</exception>
    /// <exception cref="NotSupportedException">The model's inputs or outputs are not those of a BERT-style sentence-transformer.</exception>
    public static SentenceTransformerModel Load(OnnxEmbeddingGeneratorOptions options)
    {
        string description = options.ModelPath is null ? $"'{MiniLmModel.ModelId}' (embedded)" : $"'{options.ModelPath}'";
        if (options.ModelPath is not null && !File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException($"The ONNX model file '{options.ModelPath}' was not found. Set ModelPath to a sentence-transformer model.onnx, or leave ModelPath and VocabularyPath null to use the embedded {MiniLmModel.ModelId}.", options.ModelPath);
        }

        if (options.VocabularyPath is not null && !File.Exists(options.VocabularyPath))
        {
            throw new FileNotFoundException($"The vocabulary file '{options.VocabularyPath}' was not found. Set VocabularyPath to the model's WordPiece vocab.txt.", options.VocabularyPath);
        }

        BertTokenizer tokenizer = LoadTokenizer(options.VocabularyPath);

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        InferenceSession session;
        string contentHash;
        try
        {
            if (options.ModelPath is null)
            {
                byte[] bytes = MiniLmModel.ReadModel();
                contentHash = s_embeddedModelHash ??= Convert.ToHexStringLower(SHA256.HashData(bytes));
                session = new InferenceSession(bytes, sessionOptions);
            }
            else
            {
                // Hashed from the file and loaded by path (not from the bytes), so that a model with external data files still
                // finds them beside it.
                using (var file = File.OpenRead(options.ModelPath))
                {
                    contentHash = Convert.ToHexStringLower(SHA256.HashData(file));
                }

                session = new InferenceSession(options.ModelPath, sessionOptions);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"ONNX Runtime could not load the model {description}: {ex.Message}", ex);
        }

        try
        {
            return new SentenceTransformerModel(session, tokenizer, options, description, contentHash);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Loads the WordPiece tokenizer of a vocabulary file, or of the embedded model's vocabulary.</summary>
    /// <param name="vocabularyPath">The path of an existing <c>vocab.txt</c>, or <see langword="null"/> for the embedded one.</param>
    /// <returns>The tokenizer, configured as sentence-transformers tokenizes for uncased BERT models.</returns>
    public static BertTokenizer LoadTokenizer(string? vocabularyPath)
    {
        using var vocabulary = vocabularyPath is null ? MiniLmModel.OpenVocabulary() : File.OpenRead(vocabularyPath);

        // sentence-transformers' BertTokenizer for uncased models: basic tokenization (whitespace, punctuation and CJK
        // splitting), lower case, accents stripped (NFD then non-spacing marks removed), then greedy WordPiece.
        return BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            SplitOnSpecialTokens = true,
        });
    }

    /// <summary>Tokenizes one text into word pieces, keeping at most <see cref="MaxSequenceLength"/> - 2 of them.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The encoded text.</returns>
    public EncodedText Encode(string text) =>
        // The whole text is tokenized and then cut, as Hugging Face truncation does: a cut may fall inside a word. (The
        // tokenizer's own maxTokenCount overload stops at a word boundary instead.)
        new(_tokenizer.EncodeToIds(text, addSpecialTokens: false), MaxSequenceLength - 2);

    /// <summary>Creates buffers for batches of up to <paramref name="rows"/> texts.</summary>
    /// <param name="rows">The largest batch size.</param>
    /// <returns>The buffers.</returns>
    public BatchBuffers CreateBuffers(int rows) => new(rows, MaxSequenceLength, Dimensions);

    /// <summary>Lays out a batch of texts as padded rows of <paramref name="buffers"/>.</summary>
    /// <param name="texts">The texts of the batch.</param>
    /// <param name="buffers">The buffers to fill.</param>
    /// <returns>The sequence length: the token count of the longest text of the batch.</returns>
    public int Fill(ReadOnlySpan<EncodedText> texts, BatchBuffers buffers)
    {
        int sequenceLength = 0;
        foreach (ref readonly var text in texts)
        {
            sequenceLength = Math.Max(sequenceLength, text.TokenCount);
        }

        for (int row = 0; row < texts.Length; row++)
        {
            texts[row].WriteRow(
                buffers.InputIds.AsSpan(row * sequenceLength, sequenceLength),
                buffers.AttentionMask.AsSpan(row * sequenceLength, sequenceLength),
                _tokenizer.ClassificationTokenId,
                _tokenizer.SeparatorTokenId,
                _tokenizer.PaddingTokenId);
        }

        return sequenceLength;
    }

    /// <summary>Runs the model on the first <paramref name="rows"/> rows of <paramref name="buffers"/>, writing <see cref="BatchBuffers.Hidden"/>.</summary>
    /// <param name="buffers">Filled buffers.</param>
    /// <param name="rows">The number of texts in the batch.</param>
    /// <param name="sequenceLength">The padded sequence length.</param>
    /// <param name="runOptions">Run options; setting <see cref="RunOptions.Terminate"/> stops the run.</param>
    public void Run(BatchBuffers buffers, int rows, int sequenceLength, RunOptions runOptions)
    {
        int tokens = rows * sequenceLength;
        long[] inputShape = [rows, sequenceLength];
        var memory = OrtMemoryInfo.DefaultInstance;
        using var inputIds = OrtValue.CreateTensorValueFromMemory(memory, buffers.InputIds.AsMemory(0, tokens), inputShape);
        using var attentionMask = OrtValue.CreateTensorValueFromMemory(memory, buffers.AttentionMask.AsMemory(0, tokens), inputShape);
        using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(memory, buffers.TokenTypeIds.AsMemory(0, tokens), inputShape);
        using var hidden = OrtValue.CreateTensorValueFromMemory(memory, buffers.Hidden.AsMemory(0, tokens * Dimensions), [rows, sequenceLength, Dimensions]);
        OrtValue[] inputs = _inputNames.Length == 3 ? [inputIds, attentionMask, tokenTypeIds] : [inputIds, attentionMask];
        _session.Run(runOptions, _inputNames, inputs, _outputNames, [hidden]);
    }

    /// <summary>
    /// Pools the token embeddings of one row into its sentence vector, as sentence-transformers' <c>Pooling</c> module does:
    /// the mean over the attention mask (<see cref="PoolingMode.Mean"/>) or the first token, <c>[CLS]</c>
    /// (<see cref="PoolingMode.Cls"/>); then, unless normalization is off, scales it to unit length as the <c>Normalize</c> module does.
    /// </summary>
    /// <param name="buffers">Buffers after <see cref="Run"/>.</param>
    /// <param name="row">The row of the text in the batch.</param>
    /// <param name="sequenceLength">The padded sequence length of the batch.</param>
    /// <param name="tokenCount">The number of real tokens of the row (its mask is 1 for exactly these, at the start).</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    public void Pool(BatchBuffers buffers, int row, int sequenceLength, int tokenCount, Span<float> destination)
    {
        int dimensions = Dimensions;
        ReadOnlySpan<float> tokens = buffers.Hidden.AsSpan(row * sequenceLength * dimensions, tokenCount * dimensions);
        tokens[..dimensions].CopyTo(destination);
        int count = 1;
        if (_pooling == PoolingMode.Mean)
        {
            for (int t = 1; t < tokenCount; t++)
            {
                TensorPrimitives.Add(destination, tokens.Slice(t * dimensions, dimensions), destination);
            }

            count = tokenCount;
        }

        // destination holds the sum of count vectors; the pooled vector is sum / count. Normalizing it as F.normalize does
        // (divide by max(|pooled|, 1e-12)) equals dividing the sum by max(|sum| / count, 1e-12) * count, done in one pass.
        if (_normalize)
        {
            float norm = TensorPrimitives.Norm((ReadOnlySpan<float>)destination) / count;
            TensorPrimitives.Divide(destination, MathF.Max(norm, 1e-12f) * count, destination);
        }
        else if (count > 1)
        {
            TensorPrimitives.Divide(destination, count, destination);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
