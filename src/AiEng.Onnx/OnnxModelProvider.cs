using System.Globalization;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiEng.Onnx;

/// <summary>
/// The <c>Onnx</c> provider: serves embedding models (no chat models) with <see cref="OnnxEmbeddingGenerator"/>, configured by
/// <see cref="ModelOptions.Settings"/> keys <c>ModelPath</c>, <c>VocabularyPath</c>, <c>IntraOpThreads</c>, <c>BatchSize</c>,
/// <c>MaxSequenceLength</c>, <c>Pooling</c>, <c>Normalize</c>, <c>QueryPrefix</c> and <c>DocumentPrefix</c>. With no settings it
/// runs the embedded all-MiniLM-L6-v2.
/// </summary>
internal sealed class OnnxModelProvider : ModelProvider
{
    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.ModelPath"/>.</summary>
    public const string ModelPathKey = nameof(OnnxEmbeddingGeneratorOptions.ModelPath);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.VocabularyPath"/>.</summary>
    public const string VocabularyPathKey = nameof(OnnxEmbeddingGeneratorOptions.VocabularyPath);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.IntraOpThreads"/>.</summary>
    public const string IntraOpThreadsKey = nameof(OnnxEmbeddingGeneratorOptions.IntraOpThreads);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.BatchSize"/>.</summary>
    public const string BatchSizeKey = nameof(OnnxEmbeddingGeneratorOptions.BatchSize);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.MaxSequenceLength"/>.</summary>
    public const string MaxSequenceLengthKey = nameof(OnnxEmbeddingGeneratorOptions.MaxSequenceLength);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.Pooling"/>.</summary>
    public const string PoolingKey = nameof(OnnxEmbeddingGeneratorOptions.Pooling);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.Normalize"/>.</summary>
    public const string NormalizeKey = nameof(OnnxEmbeddingGeneratorOptions.Normalize);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.QueryPrefix"/>.</summary>
    public const string QueryPrefixKey = nameof(OnnxEmbeddingGeneratorOptions.QueryPrefix);

    /// <summary>The settings key of <see cref="OnnxEmbeddingGeneratorOptions.DocumentPrefix"/>.</summary>
    public const string DocumentPrefixKey = nameof(OnnxEmbeddingGeneratorOptions.DocumentPrefix);

    private static readonly string[] KnownKeys =
        [
            ModelPathKey, VocabularyPathKey, IntraOpThreadsKey, BatchSizeKey, MaxSequenceLengthKey, PoolingKey, NormalizeKey, QueryPrefixKey, DocumentPrefixKey,

            // AiEng's own settings of every embedding model (checked by AiEng): the request limits.
            EmbeddingRequestLimits.MaxInputsPerRequestSetting, EmbeddingRequestLimits.MaxTokensPerRequestSetting,
            EmbeddingRequestLimits.MaxTokensPerInputSetting, EmbeddingRequestLimits.MaxParallelRequestsSetting,
        ];

    /// <inheritdoc />
    public override string Name => "Onnx";

    /// <inheritdoc />
    public override bool Supports(ModelKind kind) => kind == ModelKind.Embeddings;

    /// <inheritdoc />
    /// <remarks>
    /// One request at a time: the model runs on this machine's CPU, which one call already keeps busy (its batches and
    /// intra-op threads), so calls in parallel would only compete for the cores. No request limits: the generator batches
    /// itself, and the chunker counts in the model's own tokens.
    /// </remarks>
    public override EmbeddingRequestLimits? GetEmbeddingRequestLimits(ModelOptions options) => new() { MaxParallelRequests = 1 };

    /// <inheritdoc />
    public override void Validate(ModelOptions options, ModelKind kind, string configurationPath, ICollection<string> errors)
    {
        Throw.IfNull(options);
        Throw.IfNull(configurationPath);
        Throw.IfNull(errors);
        if (kind != ModelKind.Embeddings)
        {
            errors.Add($"{configurationPath}:Provider: 'Onnx' serves embedding models only, not {kind} models. Use a chat provider there, for example 'OpenAI' or 'Ollama'.");
            return;
        }

        _ = ToGeneratorOptions(options, configurationPath, errors, checkFiles: true);
    }

    /// <inheritdoc />
    public override IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelOptions options, IServiceProvider services)
    {
        Throw.IfNull(options);
        Throw.IfNull(services);
        var errors = new List<string>();
        var generatorOptions = ToGeneratorOptions(options, "AiEng:Embeddings", errors, checkFiles: false);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<OnnxEmbeddingGenerator>();
        return new OnnxEmbeddingGenerator(generatorOptions, logger);
    }

    /// <summary>Reads generator options from <paramref name="options"/>, adding a message per problem to <paramref name="errors"/>.</summary>
    private static OnnxEmbeddingGeneratorOptions ToGeneratorOptions(ModelOptions options, string path, ICollection<string> errors, bool checkFiles)
    {
        var settings = options.Settings ?? new Dictionary<string, string?>();
        var result = new OnnxEmbeddingGeneratorOptions();
        foreach (var key in settings.Keys)
        {
            if (!KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Settings:{key}: unknown setting of the Onnx provider. Known settings: {string.Join(", ", KnownKeys)}, for example {path}:Settings:{ModelPathKey}=/models/bge-small-en-v1.5/model.onnx.");
            }
        }

        result.ModelPath = ReadPath(settings, ModelPathKey, path, "/models/bge-small-en-v1.5/model.onnx", errors, checkFiles);
        result.VocabularyPath = ReadPath(settings, VocabularyPathKey, path, "/models/bge-small-en-v1.5/vocab.txt", errors, checkFiles);
        if (Get(settings, ModelPathKey) is not null && Get(settings, VocabularyPathKey) is null)
        {
            errors.Add($"{path}:Settings:{VocabularyPathKey}: is missing; a custom {ModelPathKey} needs the model's WordPiece vocabulary, for example /models/bge-small-en-v1.5/vocab.txt.");
        }
        else if (Get(settings, ModelPathKey) is null && Get(settings, VocabularyPathKey) is not null)
        {
            errors.Add($"{path}:Settings:{ModelPathKey}: is missing; a custom {VocabularyPathKey} needs its model, for example /models/bge-small-en-v1.5/model.onnx (or remove {VocabularyPathKey} to use the embedded {MiniLmModel.ModelId}).");
        }

        bool embedded = Get(settings, ModelPathKey) is null;
        if (!string.IsNullOrWhiteSpace(options.Model))
        {
            if (embedded && !options.Model.Equals(MiniLmModel.ModelId, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Model: '{options.Model}' is not shipped with AiEng.Onnx, which embeds only '{MiniLmModel.ModelId}'. Leave it empty or set it to '{MiniLmModel.ModelId}', or set {path}:Settings:{ModelPathKey} and {VocabularyPathKey} to your own model's files.");
            }

            result.ModelId = options.Model;
        }

        result.IntraOpThreads = ReadInt(settings, IntraOpThreadsKey, path, 1, 1024, 2, errors) ?? result.IntraOpThreads;
        result.BatchSize = ReadInt(settings, BatchSizeKey, path, 1, OnnxEmbeddingGeneratorOptions.MaxSupportedBatchSize, OnnxEmbeddingGeneratorOptions.DefaultBatchSize, errors) ?? result.BatchSize;
        int maxLength = embedded ? MiniLmModel.MaxPositions : OnnxEmbeddingGeneratorOptions.MaxSupportedSequenceLength;
        result.MaxSequenceLength = ReadInt(settings, MaxSequenceLengthKey, path, 3, maxLength, OnnxEmbeddingGeneratorOptions.DefaultMaxSequenceLength, errors) ?? result.MaxSequenceLength;
        result.Pooling = ReadPooling(settings, path, errors) ?? result.Pooling;
        result.Normalize = ReadBool(settings, NormalizeKey, path, errors) ?? result.Normalize;

        // A prefix is taken as written, trailing space included ("query: "); a value of only white space counts as none.
        result.QueryPrefix = Get(settings, QueryPrefixKey);
        result.DocumentPrefix = Get(settings, DocumentPrefixKey);
        if (checkFiles && (result.QueryPrefix is not null || result.DocumentPrefix is not null)
            && (result.VocabularyPath is null ? embedded : File.Exists(result.VocabularyPath)))
        {
            CheckPrefixLengths(result, path, errors);
        }

        return result;
    }

    /// <summary>Reports a prefix that leaves no room for text, counted with the model's vocabulary (read only when a prefix is set).</summary>
    private static void CheckPrefixLengths(OnnxEmbeddingGeneratorOptions options, string path, ICollection<string> errors)
    {
        var tokenizer = SentenceTransformerModel.LoadTokenizer(options.VocabularyPath);
        int maxPieces = options.MaxSequenceLength - 2;
        foreach ((string key, string? prefix) in (ReadOnlySpan<(string, string?)>)[(QueryPrefixKey, options.QueryPrefix), (DocumentPrefixKey, options.DocumentPrefix)])
        {
            int pieces = prefix is null ? 0 : tokenizer.EncodeToIds(prefix, addSpecialTokens: false).Count;
            if (pieces >= maxPieces)
            {
                errors.Add($"{path}:Settings:{key}: the prefix has {pieces} word pieces, which leaves no room for text within {path}:Settings:{MaxSequenceLengthKey} ({options.MaxSequenceLength} tokens including [CLS] and [SEP]); shorten it, for example to 'query: '.");
            }
        }
    }

    private static PoolingMode? ReadPooling(IDictionary<string, string?> settings, string path, ICollection<string> errors)
    {
        string? text = Get(settings, PoolingKey);
        if (text is null)
        {
            return null;
        }

        // Names only: Enum.TryParse would also take numbers ("1") and undefined values.
        foreach (PoolingMode mode in Enum.GetValues<PoolingMode>())
        {
            if (text.Trim().Equals(mode.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }

        errors.Add($"{path}:Settings:{PoolingKey}: '{text}' is not a pooling mode; use {nameof(PoolingMode.Mean)} (all-MiniLM-L6-v2, e5) or {nameof(PoolingMode.Cls)} (bge), as the model's 1_Pooling/config.json says, for example {path}:Settings:{PoolingKey}={nameof(PoolingMode.Cls)}.");
        return null;
    }

    private static bool? ReadBool(IDictionary<string, string?> settings, string key, string path, ICollection<string> errors)
    {
        string? text = Get(settings, key);
        if (text is null)
        {
            return null;
        }

        if (!bool.TryParse(text.Trim(), out bool value))
        {
            errors.Add($"{path}:Settings:{key}: '{text}' is not true or false; for example true.");
            return null;
        }

        return value;
    }

    private static string? Get(IDictionary<string, string?> settings, string key)
    {
        foreach (var pair in settings)
        {
            if (pair.Key.Equals(key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(pair.Value))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static string? ReadPath(IDictionary<string, string?> settings, string key, string path, string example, ICollection<string> errors, bool checkFile)
    {
        string? value = Get(settings, key);
        if (value is not null && checkFile && !File.Exists(value))
        {
            errors.Add($"{path}:Settings:{key}: the file '{value}' was not found (full path '{Path.GetFullPath(value)}'). Give the path of an existing file, for example {example}.");
        }

        return value;
    }

    private static int? ReadInt(IDictionary<string, string?> settings, string key, string path, int min, int max, int example, ICollection<string> errors)
    {
        string? text = Get(settings, key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            errors.Add($"{path}:Settings:{key}: '{text}' is not a whole number between {min} and {max}; for example {example}.");
            return null;
        }

        return value;
    }
}
