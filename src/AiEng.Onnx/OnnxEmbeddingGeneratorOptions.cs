namespace AiEng.Onnx;

/// <summary>
/// Options of <see cref="OnnxEmbeddingGenerator"/>. Every property has a working default: with a new instance the generator
/// runs the embedded all-MiniLM-L6-v2 with sentence-transformers semantics on all processor cores.
/// </summary>
/// <remarks>The generator reads the options when it is created; changing them afterwards has no effect on it.</remarks>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>The default <see cref="MaxSequenceLength"/>: 256 tokens, the <c>max_seq_length</c> of all-MiniLM-L6-v2 in sentence-transformers.</summary>
    public const int DefaultMaxSequenceLength = 256;

    /// <summary>
    /// The default <see cref="BatchSize"/>: 8 texts. Texts are sorted by length before batching, so a batch holds texts of
    /// nearly equal length and padding costs little. Measured with the <c>embed</c> benchmark on an idle 2-core machine
    /// (all-MiniLM-L6-v2, 2 intra-op threads, 1,000 texts of mixed length, ONNX session time only, best of 3): batches of
    /// 4 took 8.97 s, 6 took 8.36 s, 8 took 8.75 s, 12 took 9.02 s and 16 took 8.88 s; runs of that benchmark on a busier
    /// machine favoured 8 over 16 more clearly (1.67 against 1.56 times the reference encoder), and much larger batches
    /// (32, 64) were slower still, as their activations fall out of the CPU caches. Batch size 1 is the slowest: ONNX
    /// Runtime's fixed cost per run dominates short texts. 8 also keeps the reused output buffer small (8 x 256 tokens x
    /// 384 floats = 3 MB) and cancellation between batches prompt.
    /// </summary>
    public const int DefaultBatchSize = 8;

    /// <summary>The largest accepted <see cref="MaxSequenceLength"/> for a custom model.</summary>
    public const int MaxSupportedSequenceLength = 8192;

    /// <summary>The largest accepted <see cref="BatchSize"/>.</summary>
    public const int MaxSupportedBatchSize = 1024;

    /// <summary>
    /// Gets or sets the path of a sentence-transformer <c>model.onnx</c> whose first output is the token embeddings
    /// (<c>last_hidden_state</c>, shape batch x sequence x dimensions) and whose inputs are <c>input_ids</c>,
    /// <c>attention_mask</c> and optionally <c>token_type_ids</c> (int64). Default: <see langword="null"/>, the embedded
    /// all-MiniLM-L6-v2. When set, <see cref="VocabularyPath"/> must be set too.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Gets or sets the path of the model's WordPiece <c>vocab.txt</c> (one token a line; an uncased BERT vocabulary).
    /// Default: <see langword="null"/>, the embedded all-MiniLM-L6-v2 vocabulary. Must be set together with <see cref="ModelPath"/>.
    /// </summary>
    public string? VocabularyPath { get; set; }

    /// <summary>
    /// Gets or sets the model id reported in metadata and on each embedding. Default: <see langword="null"/>, which reports
    /// <c>all-MiniLM-L6-v2</c> for the embedded model and the file name without extension of <see cref="ModelPath"/> (or of its
    /// folder when the file is named <c>model.onnx</c>) for a custom model.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets the largest number of tokens fed to the model per text, including the <c>[CLS]</c> and <c>[SEP]</c> tokens.
    /// Longer texts keep their first <c>MaxSequenceLength - 2</c> word pieces; truncation is counted in the response and
    /// logged as a warning. Default: <see cref="DefaultMaxSequenceLength"/> (256). Range 3 to 512 for the embedded model
    /// (its position embeddings stop at 512), 3 to <see cref="MaxSupportedSequenceLength"/> for a custom one.
    /// </summary>
    public int MaxSequenceLength { get; set; } = DefaultMaxSequenceLength;

    /// <summary>
    /// Gets or sets the number of texts run through the model at once. Default: <see cref="DefaultBatchSize"/> (8; see there
    /// why). Range 1 to <see cref="MaxSupportedBatchSize"/>.
    /// </summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// Gets or sets the number of threads ONNX Runtime uses inside one operator (intra-op parallelism).
    /// Default: <see langword="null"/>, which uses <see cref="Environment.ProcessorCount"/>. Must be at least 1 when set.
    /// </summary>
    public int? IntraOpThreads { get; set; }

    /// <summary>Gets a value indicating whether the options select the embedded all-MiniLM-L6-v2.</summary>
    internal bool UsesEmbeddedModel => ModelPath is null && VocabularyPath is null;

    /// <summary>Checks every property; each message names the property, says what is wrong and gives a valid example.</summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    internal List<string> GetErrors()
    {
        var errors = new List<string>();
        CheckPath(ModelPath, nameof(ModelPath), "/models/all-MiniLM-L6-v2/model.onnx", errors);
        CheckPath(VocabularyPath, nameof(VocabularyPath), "/models/all-MiniLM-L6-v2/vocab.txt", errors);
        if ((ModelPath is null) != (VocabularyPath is null))
        {
            errors.Add($"{nameof(ModelPath)} and {nameof(VocabularyPath)} must be set together (a custom model needs its own vocabulary) or both left null for the embedded all-MiniLM-L6-v2.");
        }

        if (ModelId is not null && string.IsNullOrWhiteSpace(ModelId))
        {
            errors.Add($"{nameof(ModelId)} must be null or a non-empty name, for example 'bge-small-en-v1.5'.");
        }

        int maxLength = UsesEmbeddedModel ? MiniLmModel.MaxPositions : MaxSupportedSequenceLength;
        if (MaxSequenceLength < 3 || MaxSequenceLength > maxLength)
        {
            errors.Add($"{nameof(MaxSequenceLength)} is {MaxSequenceLength} but must be between 3 and {maxLength} (tokens including [CLS] and [SEP]), for example {DefaultMaxSequenceLength}.");
        }

        if (BatchSize < 1 || BatchSize > MaxSupportedBatchSize)
        {
            errors.Add($"{nameof(BatchSize)} is {BatchSize} but must be between 1 and {MaxSupportedBatchSize}, for example {DefaultBatchSize}.");
        }

        if (IntraOpThreads is < 1)
        {
            errors.Add($"{nameof(IntraOpThreads)} is {IntraOpThreads} but must be null (all {Environment.ProcessorCount} processors) or at least 1, for example 2.");
        }

        return errors;
    }

    private static void CheckPath(string? path, string name, string example, List<string> errors)
    {
        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{name} must be null or a file path, for example '{example}'.");
        }
    }
}
