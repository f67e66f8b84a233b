using System.Buffers.Binary;
using AiEng.FineTuning;
using AiEng.Tests.TestSupport;
using static AiEng.Tests.FineTuning.Adapters.EmbeddingAdapterTestData;

namespace AiEng.Tests.FineTuning.Adapters;

public sealed class EmbeddingAdapterFileTests
{
    [Theory]
    [InlineData("linear")]
    [InlineData("residual")]
    public void Saving_and_loading_gives_back_the_same_adapter(string shape)
    {
        using var folder = new TempDirectory();
        var (queries, passages) = RotationTask(count: 30, dimensions: 6, seed: 3);
        EmbeddingAdapter adapter = shape == "linear" ? new LinearEmbeddingAdapter(Model, 6, normalize: false) : new ResidualEmbeddingAdapter(Model, 6, hiddenSize: 5);
        EmbeddingAdapterTrainer.Train(adapter, RotationExamples(queries, passages), new EmbeddingAdapterTrainingOptions { Epochs = 3 });
        string path = Path.Combine(folder.Path, "scifact.adapter");

        adapter.Save(path);
        EmbeddingAdapter loaded = EmbeddingAdapter.Load(path);

        Assert.IsType(adapter.GetType(), loaded);
        Assert.Equal(adapter.Kind, loaded.Kind);
        Assert.Equal(Model, loaded.BaseModelId);
        Assert.Equal(6, loaded.Dimensions);
        Assert.Equal(adapter.HiddenSize, loaded.HiddenSize);
        Assert.Equal(adapter.Normalize, loaded.Normalize);
        Assert.Equal(adapter.Parameters, loaded.Parameters);
        Assert.Equal(adapter.Training.OrderBy(e => e.Key), loaded.Training.OrderBy(e => e.Key));
        Assert.Equal("3", loaded.Training["epochs"]);
        Assert.Equal(adapter.Transform(queries[0]), loaded.Transform(queries[0]));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error_naming_the_file()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "cut.adapter");
        new LinearEmbeddingAdapter(Model, 4).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^8]);

        var error = Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 18 of its 20 parameters; the file is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_cut_short_is_reported_as_truncated_too()
    {
        using var stream = new MemoryStream();
        new LinearEmbeddingAdapter(Model, 4).Save(stream);
        byte[] bytes = stream.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(new ForwardOnlyStream(bytes[..^8]), "remote.adapter"));

        Assert.Contains("'remote.adapter'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_after_the_parameters_is_an_error()
    {
        using var stream = new MemoryStream();
        new LinearEmbeddingAdapter(Model, 4).Save(stream);
        stream.WriteByte(0);
        stream.Position = 0;

        Assert.Contains("data after its 20 parameters", Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(stream, "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_file_and_a_newer_version_are_clear_errors()
    {
        Assert.Contains(
            "not an embedding adapter file",
            Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(new MemoryStream("{\"hello\":1}"u8.ToArray()), "notes.json")).Message,
            StringComparison.Ordinal);

        using var stream = new MemoryStream();
        new LinearEmbeddingAdapter(Model, 4).Save(stream);
        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 9);
        var error = Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(new MemoryStream(bytes), "new.adapter"));
        Assert.Contains("format version 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_does_not_match_its_payload_is_corrupt()
    {
        using var stream = new MemoryStream();
        new LinearEmbeddingAdapter(Model, 4).Save(stream);
        byte[] bytes = stream.ToArray();
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        byte[] edited = System.Text.Encoding.UTF8.GetBytes(text.Replace("\"dimensions\":4", "\"dimensions\":5", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => EmbeddingAdapter.Load(new MemoryStream(edited), "edited.adapter"));

        Assert.Contains("declares 20 parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_over_a_file_replaces_it_and_a_missing_file_is_not_found()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "a.adapter");
        new LinearEmbeddingAdapter(Model, 4).Save(path);
        new LinearEmbeddingAdapter("other-model", 4).Save(path);

        Assert.Equal("other-model", EmbeddingAdapter.Load(path).BaseModelId);
        Assert.Throws<FileNotFoundException>(() => EmbeddingAdapter.Load(Path.Combine(folder.Path, "missing.adapter")));
    }
}
