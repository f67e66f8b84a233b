using System.Linq.Expressions;
using AiEng.Retrieval;
using AiEng.VectorData.ConformanceTests;

namespace AiEng.Tests.Retrieval.Records;

public sealed class ChunkFilterTranslatorTests
{
    private static readonly TenantChunkMapper Mapper = new();

    private static string Translate(Expression<Func<ChunkRecord, bool>> filter) =>
        ChunkFilterTranslator<TenantChunk>.Translate(Mapper, filter)!.ToString();

    [Fact]
    public void Mapped_properties_are_rewritten_member_by_member()
    {
        string id = "manual";

        var byDocument = ChunkFilterTranslator<TenantChunk>.Translate(Mapper, r => r.DocumentId == id && r.ChunkIndex == 0)!;

        Assert.StartsWith("r => ((r.Document == value(", byDocument.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(").id) AndAlso (r.Position == 0))", byDocument.ToString(), StringComparison.Ordinal);
        Assert.True(byDocument.Compile()(new TenantChunk { Document = "manual", Position = 0 }));
        Assert.False(byDocument.Compile()(new TenantChunk { Document = "manual", Position = 1 }));
        Assert.Equal("r => (r.Hash != \"\")", Translate(r => r.ContentHash != ""));
    }

    [Fact]
    public void Tag_tests_become_the_mappers_conditions_whether_the_tag_is_a_constant_or_captured()
    {
        string tag = ChunkRecord.CreateTag("group", "sales");
        var metadata = new MetadataFilter().Where("tenant", "acme").WhereAny("group", "sales", "legal").ToExpression();

        var translated = ChunkFilterTranslator<TenantChunk>.Translate(Mapper, metadata)!.Compile();
        var captured = ChunkFilterTranslator<TenantChunk>.Translate(Mapper, r => r.Tags.Contains(tag))!.Compile();

        Assert.True(translated(new TenantChunk { Tenant = "acme", Group = "legal" }));
        Assert.False(translated(new TenantChunk { Tenant = "acme", Group = "support" }));
        Assert.False(translated(new TenantChunk { Tenant = "globex", Group = "sales" }));
        Assert.True(captured(new TenantChunk { Group = "sales" }));
        Assert.False(captured(new TenantChunk { Group = "legal" }));
        Assert.Null(ChunkFilterTranslator<TenantChunk>.Translate(Mapper, null));
    }

    [Fact]
    public void A_filter_on_what_the_mapper_does_not_map_fails_naming_it()
    {
        var title = Assert.Throws<NotSupportedException>(() => Translate(r => r.Title == "x"));
        var tag = Assert.Throws<NotSupportedException>(() => Translate(r => r.Tags.Contains("lang=en")));
        var record = Assert.Throws<NotSupportedException>(() => Translate(r => r.Equals(null)));

        Assert.Contains("ChunkRecord.Title", title.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TenantChunkMapper), title.Message, StringComparison.Ordinal);
        Assert.Contains("ChunkRecord.Tags", tag.Message, StringComparison.Ordinal);
        Assert.Contains("MapTag", tag.Message, StringComparison.Ordinal);
        Assert.Contains("the ChunkRecord itself", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_member_of_another_type_is_a_mistake_of_the_mapper()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChunkFilterTranslator<TenantChunk>.Translate(new WrongMapper(), r => r.ChunkIndex == 1));

        Assert.Contains("MapProperty(\"ChunkIndex\") must be a lambda from TenantChunk to Int32", error.Message, StringComparison.Ordinal);
    }

    private sealed class WrongMapper : ChunkRecordMapper<TenantChunk>
    {
        public override TenantChunk ToRecord(ChunkRecord chunk) => new();

        public override ChunkRecord ToChunk(TenantChunk record) => new();

        public override LambdaExpression? MapProperty(string chunkProperty) => Member(record => record.Document);
    }
}
