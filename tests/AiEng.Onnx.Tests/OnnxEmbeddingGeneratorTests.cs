using System.Collections;
using System.Numerics.Tensors;
using AiEng.Inference;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace AiEng.Onnx.Tests;

public sealed class OnnxEmbeddingGeneratorTests : IClassFixture<MiniLmFixture>, IClassFixture<MiniLmVariantsFixture>
{
    private const string Sentence = "The cat sits on the mat.";

    private readonly MiniLmFixture _fixture;
    private readonly MiniLmVariantsFixture _variants;

    public OnnxEmbeddingGeneratorTests(MiniLmFixture fixture, MiniLmVariantsFixture variants) => (_fixture, _variants) = (fixture, variants);

    private OnnxEmbeddingGenerator Generator => _fixture.Generator;

    [Fact]
    public async Task Matches_SentenceEncoder_within_1e_4_on_short_plain_ASCII_sentences()
    {
        var ours = await Generator.GenerateAsync(ShortAsciiSentences.All);
        float[][] reference = _fixture.Reference.Value.Encode([.. ShortAsciiSentences.All]);

        Assert.Equal(reference.Length, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.Equal(reference[i].Length, ours[i].Vector.Length);
            float maxDiff = MaxAbs(Subtract(ours[i].Vector.Span, reference[i]));
            Assert.True(maxDiff <= 1e-4f, $"sentence {i} '{ShortAsciiSentences.All[i]}' differs by {maxDiff}");
        }
    }

    [Fact]
    public async Task Returns_unit_length_vectors_of_384_dimensions_with_the_model_id()
    {
        var result = await Generator.GenerateAsync(["short", "A somewhat longer sentence, with punctuation and numbers like 42."]);

        Assert.All(result, embedding =>
        {
            Assert.Equal(MiniLmModel.Dimensions, embedding.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(embedding.Vector.Span), 1e-5f);
            Assert.Equal(MiniLmModel.ModelId, embedding.ModelId);
        });
    }

    [Fact]
    public async Task Returns_results_in_input_order_across_length_sorted_batches()
    {
        string[] texts = Enumerable.Range(0, 11)
            .Select(i => string.Join(' ', Enumerable.Repeat($"word{i} about topic {i % 3}", 1 + ((i * 7) % 5))))
            .ToArray();

        var batched = await Generator.GenerateAsync(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            var single = await Generator.GenerateAsync([texts[i]]);
            float maxDiff = MaxAbs(Subtract(batched[i].Vector.Span, single[0].Vector.ToArray()));
            Assert.True(maxDiff <= 1e-5f, $"text {i} differs from its one-at-a-time embedding by {maxDiff}");
        }
    }

    [Fact]
    public async Task Counts_truncated_inputs_and_logs_a_warning_without_the_text()
    {
        // "cat" is one word piece: 300 of them exceed the 254 pieces that fit between [CLS] and [SEP].
        string longText = string.Join(' ', Enumerable.Repeat("cat", 300));
        _fixture.Logger.Collector.Clear();

        var result = await Generator.GenerateAsync([longText, "a short one"]);

        Assert.Equal(1, result.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
        Assert.Equal(256 + 5, result.Usage?.InputTokenCount); // 256 + [CLS] a short one [SEP]
        var warning = Assert.Single(_fixture.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("Truncated 1 of 2 inputs to 256 tokens", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cat cat", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_first_254_word_pieces_and_the_final_SEP_when_truncating()
    {
        string[] words = Enumerable.Range(0, 300).Select(i => (i % 4) switch { 0 => "cat", 1 => "dog", 2 => "house", _ => "tree" }).ToArray();

        var result = await Generator.GenerateAsync([string.Join(' ', words), string.Join(' ', words[..254])]);

        Assert.Equal(1, result.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
        float maxDiff = MaxAbs(Subtract(result[0].Vector.Span, result[1].Vector.ToArray()));
        Assert.True(maxDiff <= 1e-5f, $"the truncated text differs from its first 254 pieces by {maxDiff}");
    }

    [Fact]
    public async Task Reports_no_truncation_for_short_texts()
    {
        var result = await Generator.GenerateAsync(["nothing to cut here"]);

        Assert.Equal(0, result.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
        Assert.Equal(6, result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Lower_cases_and_strips_accents_like_BERT()
    {
        var tokenizer = Generator.Model.Tokenizer;
        Assert.Equal(tokenizer.EncodeToIds("cafe naive resume", addSpecialTokens: false), tokenizer.EncodeToIds("Café NAÏVE Résumé", addSpecialTokens: false));

        var result = await Generator.GenerateAsync(["Café NAÏVE Résumé", "cafe naive resume"]);

        Assert.Equal(result[0].Vector.ToArray(), result[1].Vector.ToArray());
    }

    [Fact]
    public async Task Returns_an_empty_result_for_an_empty_batch()
    {
        var result = await Generator.GenerateAsync([]);

        Assert.Empty(result);
        Assert.Null(result.Usage);
        Assert.Equal(0, result.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public async Task Rejects_a_null_or_whitespace_text_naming_its_index(string? text)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["fine", "also fine", text!]));

        Assert.Equal("values", ex.ParamName);
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_null_values()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Generator.GenerateAsync(null!));
    }

    [Fact]
    public async Task Rejects_other_requested_dimensions()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 768 }));

        Assert.Contains("384", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_before_running_the_model_when_already_canceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(["text"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Stops_between_batches_when_canceled_and_stays_usable()
    {
        using var cts = new CancellationTokenSource();
        // Cancels when the tokenizer reads the last text (its second read, after validation): the batch loop must stop.
        var texts = new CancelOnSecondReadOfLast(Enumerable.Range(0, 9).Select(i => $"text number {i}").ToArray(), cts);

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(texts, cancellationToken: cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
        var after = await Generator.GenerateAsync(["still works"]);
        Assert.Single(after);
    }

    [Fact]
    public async Task Gives_the_same_vectors_to_concurrent_callers()
    {
        string[] texts = ["first text", "second, longer text about embeddings", "third"];
        var expected = await Generator.GenerateAsync(texts);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Generator.GenerateAsync(texts))));

        Assert.All(results, result =>
        {
            for (int i = 0; i < texts.Length; i++)
            {
                Assert.Equal(expected[i].Vector.ToArray(), result[i].Vector.ToArray());
            }
        });
    }

    [Fact]
    public void Describes_itself_as_onnx_all_MiniLM_L6_v2_with_384_dimensions()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("onnx", metadata.ProviderName);
        Assert.Equal(MiniLmModel.ModelId, metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Same(Generator, Generator.GetService<OnnxEmbeddingGenerator>());
        Assert.Null(Generator.GetService<EmbeddingGeneratorMetadata>("key"));
    }

    [Fact]
    public async Task Loads_a_custom_model_from_paths_and_names_it_after_its_folder()
    {
        using var folder = new TempModelFolder();
        using var custom = new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { ModelPath = folder.ModelPath, VocabularyPath = folder.VocabularyPath, IntraOpThreads = 1 });

        var ours = await custom.GenerateAsync(["The cat sits on the mat."]);
        var embedded = await Generator.GenerateAsync(["The cat sits on the mat."]);

        Assert.Equal(embedded[0].Vector.ToArray(), ours[0].Vector.ToArray());
        var metadata = custom.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(Path.GetFileName(folder.Path), metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(new Uri(folder.ModelPath), metadata.ProviderUri);

        // The fingerprint is the file's SHA-256: a byte-identical copy of the embedded model has the embedded model's.
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(folder.ModelPath)));
        Assert.Equal("sha256:" + hash, custom.GetService<EmbeddingModelFingerprint>()?.Value);
        Assert.Equal("sha256:" + hash, Generator.GetService<EmbeddingModelFingerprint>()?.Value);
        Assert.Null(custom.GetService<EmbeddingModelFingerprint>("key"));

        custom.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => custom.GenerateAsync(["after dispose"]));
    }

    [Fact]
    public void Names_the_path_of_a_missing_model_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-folder", "model.onnx");

        var ex = Assert.Throws<FileNotFoundException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { ModelPath = missing, VocabularyPath = missing + ".txt" }));

        Assert.Equal(missing, ex.FileName);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_invalid_options_naming_the_property()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { BatchSize = 0 }));

        Assert.Contains("BatchSize is 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pools_the_token_mean_by_default_and_the_CLS_token_when_asked()
    {
        float[][] tokens = TokenEmbeddings(Sentence);
        float[] mean = new float[MiniLmModel.Dimensions];
        foreach (float[] token in tokens)
        {
            TensorPrimitives.Add(mean, token, mean);
        }

        TensorPrimitives.Divide(mean, tokens.Length, mean);

        float[] meanRaw = (await _variants.MeanRaw.GenerateAsync([Sentence]))[0].Vector.ToArray();
        float[] clsRaw = (await _variants.ClsRaw.GenerateAsync([Sentence]))[0].Vector.ToArray();

        AssertClose(mean, meanRaw, 1e-5f);
        AssertClose(tokens[0], clsRaw, 1e-5f);
        Assert.True(MaxAbs(Subtract(meanRaw, clsRaw)) > 0.05f, "CLS pooling gave the mean");
    }

    [Fact]
    public async Task Normalizes_the_pooled_vector_unless_told_not_to()
    {
        float[] meanRaw = (await _variants.MeanRaw.GenerateAsync([Sentence]))[0].Vector.ToArray();
        float[] clsRaw = (await _variants.ClsRaw.GenerateAsync([Sentence]))[0].Vector.ToArray();
        float[] mean = (await Generator.GenerateAsync([Sentence]))[0].Vector.ToArray();
        float[] cls = (await _variants.Cls.GenerateAsync([Sentence]))[0].Vector.ToArray();

        Assert.True(MathF.Abs(TensorPrimitives.Norm(meanRaw) - 1) > 0.1f, $"the unnormalized mean has length {TensorPrimitives.Norm(meanRaw)}");
        Assert.True(MathF.Abs(TensorPrimitives.Norm(clsRaw) - 1) > 0.1f, $"the unnormalized CLS vector has length {TensorPrimitives.Norm(clsRaw)}");
        AssertClose(Scaled(meanRaw, 1 / TensorPrimitives.Norm(meanRaw)), mean, 1e-5f);
        AssertClose(Scaled(clsRaw, 1 / TensorPrimitives.Norm(clsRaw)), cls, 1e-5f);
        Assert.Equal(1f, TensorPrimitives.Norm(cls), 1e-5f);
    }

    [Fact]
    public async Task Pools_the_CLS_token_of_a_text_alike_alone_and_padded_in_a_batch()
    {
        string longer = "A much longer sentence about cats, dogs and the mats they sleep on all afternoon.";

        var batched = await _variants.Cls.GenerateAsync([Sentence, longer]);
        var alone = await _variants.Cls.GenerateAsync([Sentence]);

        AssertClose(alone[0].Vector.ToArray(), batched[0].Vector.ToArray(), 1e-5f);
    }

    [Fact]
    public async Task Embeds_queries_and_documents_alike_and_as_before_when_no_prefix_is_configured()
    {
        float[] plain = (await Generator.GenerateAsync([Sentence]))[0].Vector.ToArray();

        float[] query = (await Generator.GenerateAsync([Sentence], Kind(EmbeddingInputKind.Query)))[0].Vector.ToArray();
        float[] document = (await Generator.GenerateAsync([Sentence], Kind(EmbeddingInputKind.Document)))[0].Vector.ToArray();

        Assert.Equal(plain, query);
        Assert.Equal(plain, document);
        AssertClose(_fixture.Reference.Value.Encode([Sentence])[0], plain, 1e-4f);
    }

    [Fact]
    public async Task Puts_the_configured_prefix_before_queries_and_documents_and_none_before_unspecified_texts()
    {
        var query = await _variants.E5Style.GenerateAsync([Sentence], Kind(EmbeddingInputKind.Query));
        var document = await _variants.E5Style.GenerateAsync([Sentence], Kind(EmbeddingInputKind.Document));
        var unspecified = await _variants.E5Style.GenerateAsync([Sentence]);
        var written = await Generator.GenerateAsync(["query: " + Sentence, "passage: " + Sentence, Sentence]);

        // Within float noise: the written texts run in one padded batch, the others alone.
        AssertClose(written[0].Vector.ToArray(), query[0].Vector.ToArray(), 1e-5f);
        AssertClose(written[1].Vector.ToArray(), document[0].Vector.ToArray(), 1e-5f);
        AssertClose(written[2].Vector.ToArray(), unspecified[0].Vector.ToArray(), 1e-5f);
        Assert.True(MaxAbs(Subtract(query[0].Vector.Span, document[0].Vector.ToArray())) > 1e-3f, "query and document vectors are the same");

        // [CLS] query : the cat sits on the mat . [SEP]
        Assert.Equal(11, query.Usage?.InputTokenCount);
        Assert.Equal(9, unspecified.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Counts_the_prefix_toward_the_sequence_length()
    {
        // 254 one-piece words fill the window exactly; "passage: " adds two pieces, so the document is cut.
        string full = string.Join(' ', Enumerable.Repeat("cat", 254));

        var unspecified = await _variants.E5Style.GenerateAsync([full]);
        var document = await _variants.E5Style.GenerateAsync([full], Kind(EmbeddingInputKind.Document));

        Assert.Equal(0, unspecified.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
        Assert.Equal(1, document.AdditionalProperties?[OnnxEmbeddingGenerator.TruncatedInputCountKey]);
    }

    [Fact]
    public void Offers_its_WordPiece_counter_and_window_less_each_prefix()
    {
        var window = _variants.E5Style.GetService<EmbeddingTokenWindow>();
        var plainWindow = Generator.GetService<EmbeddingTokenWindow>();

        Assert.NotNull(window);
        Assert.Equal((254, 2, 2), (window.MaxTokens, window.QueryPrefixTokens, window.DocumentPrefixTokens));
        Assert.Equal(252, window.GetMaxTokens(EmbeddingInputKind.Document));
        Assert.Same(window.TokenCounter, _variants.E5Style.GetService<ITokenCounter>());
        Assert.Equal(BertTokenCounter.WordPieceName, window.TokenCounter.Name);
        Assert.Equal(Generator.Model.Tokenizer.EncodeToIds("Unbelievable café, 中文!", addSpecialTokens: false).Count, plainWindow!.TokenCounter.CountTokens("Unbelievable café, 中文!"));
        Assert.Equal((254, 0, 0), (plainWindow.MaxTokens, plainWindow.QueryPrefixTokens, plainWindow.DocumentPrefixTokens));
        Assert.Null(Generator.GetService<EmbeddingTokenWindow>("key"));
    }

    [Fact]
    public void Rejects_a_prefix_that_leaves_no_room_for_text_naming_it()
    {
        // Four tokens: [CLS] and [SEP] leave two word pieces, which "query: " fills.
        var ex = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { MaxSequenceLength = 4, QueryPrefix = "query: " }));

        Assert.Contains("QueryPrefix has 2 word pieces, which leaves no room for text within MaxSequenceLength (4 tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_undefined_pooling_mode_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingGeneratorOptions { Pooling = (PoolingMode)5 }));

        Assert.Contains("Pooling is 5 but must be Mean or Cls", ex.Message, StringComparison.Ordinal);
    }

    private static EmbeddingGenerationOptions Kind(EmbeddingInputKind kind) => new EmbeddingGenerationOptions().WithInputKind(kind);

    /// <summary>Runs the model on one text and returns its token embeddings ([CLS] first), as the pooling reads them.</summary>
    private float[][] TokenEmbeddings(string text)
    {
        var model = Generator.Model;
        var buffers = model.CreateBuffers(1);
        int sequenceLength = model.Fill([model.Encode(text)], buffers);
        using (var runOptions = new RunOptions())
        {
            model.Run(buffers, 1, sequenceLength, runOptions);
        }

        return [.. Enumerable.Range(0, sequenceLength).Select(t => buffers.Hidden.AsSpan(t * model.Dimensions, model.Dimensions).ToArray())];
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float maxDiff = MaxAbs(Subtract(actual, expected));
        Assert.True(maxDiff <= tolerance, $"the vectors differ by {maxDiff}");
    }

    private static float[] Scaled(float[] vector, float factor)
    {
        var scaled = new float[vector.Length];
        TensorPrimitives.Multiply(vector, factor, scaled);
        return scaled;
    }

    /// <summary>The largest absolute value (<see cref="TensorPrimitives.MaxMagnitude{T}(ReadOnlySpan{T})"/> keeps the sign).</summary>
    private static float MaxAbs(ReadOnlySpan<float> values) => MathF.Abs(TensorPrimitives.MaxMagnitude(values));

    private static float[] Subtract(ReadOnlySpan<float> left, float[] right)
    {
        var difference = new float[left.Length];
        TensorPrimitives.Subtract(left, right, difference);
        return difference;
    }

    /// <summary>A list that cancels a token when its last item is read for the second time.</summary>
    private sealed class CancelOnSecondReadOfLast(string[] items, CancellationTokenSource cts) : IReadOnlyList<string>
    {
        private int _lastReads;

        public int Count => items.Length;

        public string this[int index]
        {
            get
            {
                if (index == items.Length - 1 && ++_lastReads == 2)
                {
                    cts.Cancel();
                }

                return items[index];
            }
        }

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
