using System.Collections;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiEng.Onnx.Tests;

public sealed class OnnxEmbeddingGeneratorTests : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmFixture _fixture;

    public OnnxEmbeddingGeneratorTests(MiniLmFixture fixture) => _fixture = fixture;

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
            float maxDiff = TensorPrimitives.MaxMagnitude(Subtract(ours[i].Vector.Span, reference[i]));
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
            float maxDiff = TensorPrimitives.MaxMagnitude(Subtract(batched[i].Vector.Span, single[0].Vector.ToArray()));
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
        float maxDiff = TensorPrimitives.MaxMagnitude(Subtract(result[0].Vector.Span, result[1].Vector.ToArray()));
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
