using AiEng.VectorData.ConformanceTests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

public sealed class RecordModelBuilderTests
{
    [Fact]
    public void Reads_key_data_and_vector_properties_from_attributes()
    {
        var model = RecordModelBuilder.Build(typeof(ChunkRecord), null);

        Assert.Equal(nameof(ChunkRecord.Key), model.Key.Name);
        Assert.Equal(nameof(ChunkRecord.Embedding), model.Vector.Name);
        Assert.Equal(ChunkRecord.DefaultDimensions, model.Dimensions);
        Assert.Equal(DistanceFunction.CosineSimilarity, model.Vector.DistanceFunction);
        Assert.Contains(model.DataProperties, p => p.Name == nameof(ChunkRecord.DocumentId) && p.IsIndexed);
        Assert.Contains(model.DataProperties, p => p.Name == nameof(ChunkRecord.Text) && p.IsFullTextIndexed);
        Assert.Contains(model.DataProperties, p => p.Name == nameof(ChunkRecord.Tags) && p.IsIndexed);
        Assert.Equal(12, model.DataProperties.Count);
    }

    [Fact]
    public void Caches_attribute_models_per_type()
    {
        Assert.Same(RecordModelBuilder.Build(typeof(ChunkRecord), null), RecordModelBuilder.Build(typeof(ChunkRecord), null));
    }

    [Fact]
    public void A_definition_wins_over_the_attributes()
    {
        var model = RecordModelBuilder.Build(typeof(ChunkRecord), ChunkRecord.CreateDefinition(16, IndexKind.Hnsw));

        Assert.Equal(16, model.Dimensions);
        Assert.Equal(IndexKind.Hnsw, model.Vector.IndexKind);
    }

    [Fact]
    public void A_definition_naming_a_missing_property_fails_naming_it()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty("Key", typeof(Guid)), new VectorStoreVectorProperty("Nope", typeof(float[]), 3)],
        };

        var error = Assert.Throws<InvalidOperationException>(() => RecordModelBuilder.Build(typeof(ChunkRecord), definition));

        Assert.Contains("Nope", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ChunkRecord), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_records_without_a_vector()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RecordModelBuilder.Build(typeof(NoVector), null));

        Assert.Contains(nameof(NoVector), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unsupported_vector_type_naming_the_property()
    {
        var error = Assert.Throws<NotSupportedException>(() => RecordModelBuilder.Build(typeof(DoubleVector), null));

        Assert.Contains(nameof(DoubleVector.Vector), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_second_vector()
    {
        Assert.Throws<NotSupportedException>(() => RecordModelBuilder.Build(typeof(TwoVectorRecord), null));
    }

    [Fact]
    public void Clones_copy_lists_and_arrays_and_vectors_only_on_request()
    {
        var model = RecordModelBuilder.Build(typeof(ConformanceRecord), null);
        var record = new ConformanceRecord { Id = "a", Tags = ["t"], Labels = ["l"], Vector = new float[] { 1, 2, 3, 4 } };

        var without = (ConformanceRecord)model.Clone(record, includeVector: false);
        var with = (ConformanceRecord)model.Clone(record, includeVector: true);
        record.Tags[0] = "changed";
        record.Labels.Add("changed");

        Assert.Equal("a", without.Id);
        Assert.Equal(["t"], without.Tags);
        Assert.Equal(["l"], without.Labels);
        Assert.True(without.Vector.IsEmpty);
        Assert.Equal([1f, 2f, 3f, 4f], with.Vector.ToArray());
    }

    [Fact]
    public void Reads_and_writes_every_vector_shape()
    {
        var euclid = RecordModelBuilder.Build(typeof(EuclideanRecord), null);
        var guid = RecordModelBuilder.Build(typeof(GuidRecord), null);
        var e = new EuclideanRecord();
        var g = new GuidRecord();

        euclid.SetVector(e, [3, 4]);
        guid.SetVector(g, [1, 2, 3]);

        Assert.Equal(RecordVectorKind.Embedding, euclid.Vector.VectorKind);
        Assert.IsType<Embedding<float>>(e.Vector);
        Assert.Equal([3f, 4f], euclid.GetVector(e).ToArray());
        Assert.Equal([1f, 2f, 3f], g.Vector!);
        Assert.True(guid.GetVector(new GuidRecord()).IsEmpty);
    }

    [Fact]
    public void CheckDimensions_names_both_sizes()
    {
        var model = RecordModelBuilder.Build(typeof(ChunkRecord), null);

        var error = Assert.Throws<ArgumentException>(() => model.CheckDimensions(768, "record 'x'", "records"));

        Assert.Contains("expected 384 dimensions, got 768", error.Message, StringComparison.Ordinal);
        Assert.Equal("records", error.ParamName);
    }

    public sealed class NoVector
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;
    }

    public sealed class DoubleVector
    {
        [VectorStoreKey]
        public string Id { get; set; } = string.Empty;

        [VectorStoreVector(2)]
        public double[]? Vector { get; set; }
    }
}
